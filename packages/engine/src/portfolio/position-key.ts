/** The key of one strategy's position in one symbol, for the maps the ledger, the paper broker and the engine keep. */
export const positionKey = (strategyId: string, symbol: string): string => `${strategyId}\u0000${symbol}`;
