import type { Signal } from '../domain/signal.js';

function optionalPrice(name: string, value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Number.isFinite(value) && value > 0 ? undefined : `${name} must be a positive finite price, got ${value}`;
}

/** Why a signal breaks the contract, or undefined when it is sound. */
export function checkSignal(signal: Signal): string | undefined {
  if (typeof signal !== 'object' || signal === null) return `a signal must be an object, got ${String(signal)}`;
  if (typeof signal.symbol !== 'string' || signal.symbol === '') return 'symbol must be a non-empty string';
  const side = signal.side;
  if (side !== 'buy' && side !== 'sell' && side !== 'exit') return `side must be "buy", "sell" or "exit", got ${JSON.stringify(signal.side)}`;
  if (!(signal.strength >= 0 && signal.strength <= 1)) return `strength must be within [0, 1], got ${signal.strength}`;
  if (signal.sizeHint !== undefined && !(signal.sizeHint > 0 && signal.sizeHint <= 1)) {
    return `sizeHint must be within (0, 1], got ${signal.sizeHint}`;
  }
  // Most signals carry no protective or limit prices: skip the price checks entirely for them.
  if (signal.price === undefined && signal.stopLoss === undefined && signal.takeProfit === undefined && signal.limitPrice === undefined && signal.validForBars === undefined) return undefined;
  const priceProblem =
    optionalPrice('price', signal.price) ?? optionalPrice('stopLoss', signal.stopLoss) ?? optionalPrice('takeProfit', signal.takeProfit) ?? optionalPrice('limitPrice', signal.limitPrice);
  if (priceProblem !== undefined) return priceProblem;
  if (signal.validForBars !== undefined && !(Number.isInteger(signal.validForBars) && signal.validForBars >= 1)) {
    return `validForBars must be a whole number of at least 1, got ${signal.validForBars}`;
  }
  if (side === 'exit') return signal.limitPrice === undefined ? undefined : 'limitPrice is for entries (buy or sell); an exit is a market order';
  // Protective prices are judged against the entry: the limit when there is one, else the price the strategy saw.
  const entry = signal.limitPrice ?? signal.price;
  if (entry !== undefined) {
    const long = side === 'buy';
    const which = signal.limitPrice === undefined ? 'price' : 'limitPrice';
    if (signal.stopLoss !== undefined && (long ? signal.stopLoss >= entry : signal.stopLoss <= entry)) {
      return `stopLoss ${signal.stopLoss} is on the wrong side of ${which} ${entry} for a ${side}`;
    }
    if (signal.takeProfit !== undefined && (long ? signal.takeProfit <= entry : signal.takeProfit >= entry)) {
      return `takeProfit ${signal.takeProfit} is on the wrong side of ${which} ${entry} for a ${side}`;
    }
  }
  return undefined;
}
