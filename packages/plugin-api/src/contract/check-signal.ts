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
  // Most signals carry no protective prices: skip the price checks entirely for them.
  if (signal.price === undefined && signal.stopLoss === undefined && signal.takeProfit === undefined) return undefined;
  const priceProblem =
    optionalPrice('price', signal.price) ?? optionalPrice('stopLoss', signal.stopLoss) ?? optionalPrice('takeProfit', signal.takeProfit);
  if (priceProblem !== undefined) return priceProblem;
  if (signal.price !== undefined && side !== 'exit') {
    const long = side === 'buy';
    if (signal.stopLoss !== undefined && (long ? signal.stopLoss >= signal.price : signal.stopLoss <= signal.price)) {
      return `stopLoss ${signal.stopLoss} is on the wrong side of price ${signal.price} for a ${side}`;
    }
    if (signal.takeProfit !== undefined && (long ? signal.takeProfit <= signal.price : signal.takeProfit >= signal.price)) {
      return `takeProfit ${signal.takeProfit} is on the wrong side of price ${signal.price} for a ${side}`;
    }
  }
  return undefined;
}
