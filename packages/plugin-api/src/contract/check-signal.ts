import type { PositionDelta, PositionTarget, Signal, TrailingStop } from '../domain/signal.js';

function optionalPrice(name: string, value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Number.isFinite(value) && value > 0 ? undefined : `${name} must be a positive finite price, got ${value}`;
}

const TARGET_UNITS: readonly string[] = ['units', 'equity', 'allocation', 'entries'] satisfies readonly PositionTarget['unit'][];
const DELTA_UNITS: readonly string[] = ['units', 'position', 'entries'] satisfies readonly PositionDelta['unit'][];
const TRAILING_UNITS: readonly string[] = ['price', 'percent', 'atr'] satisfies readonly TrailingStop['unit'][];

const unitList = (units: readonly string[]) => units.map((u) => `"${u}"`).join(', ');

/** What is wrong with how a signal sizes its order (target, delta), or undefined. Kept apart: most signals have neither. */
function sizingProblem(signal: Signal): string | undefined {
  const { target, delta, side } = signal;
  if (target !== undefined && delta !== undefined) return 'a signal has a target or a delta, not both';
  if (target !== undefined) {
    if (typeof target !== 'object' || target === null) return `target must be an object { size, unit }, got ${String(target)}`;
    if (side === 'exit') return 'an exit takes no target: it closes the position (a buy or sell with target size 0 flattens too)';
    if (!TARGET_UNITS.includes(target.unit)) return `target.unit must be one of ${unitList(TARGET_UNITS)}, got ${JSON.stringify(target.unit)}`;
    if (!(Number.isFinite(target.size) && target.size >= 0)) return `target.size must be a finite number of at least 0, got ${target.size}`;
  }
  if (delta !== undefined) {
    if (typeof delta !== 'object' || delta === null) return `delta must be an object { size, unit }, got ${String(delta)}`;
    if (!DELTA_UNITS.includes(delta.unit)) return `delta.unit must be one of ${unitList(DELTA_UNITS)}, got ${JSON.stringify(delta.unit)}`;
    if (!(Number.isFinite(delta.size) && delta.size > 0)) return `delta.size must be a finite number above 0, got ${delta.size}`;
    if (side === 'exit' && delta.unit === 'position' && delta.size > 1) return `an exit reduces at most the whole position: delta.size must be at most 1 with unit "position", got ${delta.size}`;
  }
  return undefined;
}

/** What is wrong with the protective exits a signal asks for, or undefined. */
function exitsProblem(signal: Signal): string | undefined {
  const { trailingStop, exitAfterBars, side } = signal;
  if (trailingStop !== undefined) {
    if (typeof trailingStop !== 'object' || trailingStop === null) return `trailingStop must be an object { distance, unit }, got ${String(trailingStop)}`;
    if (side === 'exit') return 'trailingStop protects what an entry opens; an exit takes none';
    if (!TRAILING_UNITS.includes(trailingStop.unit)) return `trailingStop.unit must be one of ${unitList(TRAILING_UNITS)}, got ${JSON.stringify(trailingStop.unit)}`;
    if (!(Number.isFinite(trailingStop.distance) && trailingStop.distance > 0)) return `trailingStop.distance must be a finite number above 0, got ${trailingStop.distance}`;
    if (trailingStop.unit === 'percent' && trailingStop.distance >= 100) return `trailingStop.distance in percent must be below 100, got ${trailingStop.distance}`;
  }
  if (exitAfterBars !== undefined) {
    if (side === 'exit') return 'exitAfterBars closes what an entry opens; an exit takes none';
    if (!(Number.isInteger(exitAfterBars) && exitAfterBars >= 1)) return `exitAfterBars must be a whole number of at least 1, got ${exitAfterBars}`;
  }
  return undefined;
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
  if (signal.target !== undefined || signal.delta !== undefined) {
    const problem = sizingProblem(signal);
    if (problem !== undefined) return problem;
  }
  if (signal.trailingStop !== undefined || signal.exitAfterBars !== undefined) {
    const problem = exitsProblem(signal);
    if (problem !== undefined) return problem;
  }
  // Most signals carry no protective or limit prices: skip the price checks entirely for them.
  if (signal.price === undefined && signal.stopLoss === undefined && signal.takeProfit === undefined && signal.limitPrice === undefined && signal.validForBars === undefined) return undefined;
  const priceProblem =
    optionalPrice('price', signal.price) ?? optionalPrice('stopLoss', signal.stopLoss) ?? optionalPrice('takeProfit', signal.takeProfit) ?? optionalPrice('limitPrice', signal.limitPrice);
  if (priceProblem !== undefined) return priceProblem;
  if (signal.validForBars !== undefined && !(Number.isInteger(signal.validForBars) && signal.validForBars >= 1)) {
    return `validForBars must be a whole number of at least 1, got ${signal.validForBars}`;
  }
  // An exit's stopLoss and takeProfit have nothing to protect and are ignored, as they always were.
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
