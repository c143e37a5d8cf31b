import type { InstrumentSpec } from '@trading-orchestrator/plugin-api';

/** An instrument with every rule filled in: what the engine rounds and checks orders with. */
export interface Instrument {
  readonly symbol: string;
  /** 0: prices are not rounded. */
  readonly tickSize: number;
  readonly lotSize: number;
  readonly minQuantity: number;
  readonly maxQuantity: number;
  readonly minNotional: number;
  readonly multiplier: number;
}

/**
 * The rules a symbol gets when neither the config nor the data plugin says otherwise: fractional quantities in
 * steps of 0.000001 (fine enough for a coin priced in the tens of thousands), prices as given, no minimum order.
 */
export const DEFAULT_LOT_SIZE = 0.000_001;

/** A step as a whole number of units of 10^-decimals: 0.001 is 1 unit of 1/1000, 2.5e-7 is 25 units of 1e-8. */
interface Grid {
  readonly units: number;
  readonly scale: number;
}

/** Kept per step: instruments have few distinct steps, and multiples of them are made on every order. */
const GRIDS = new Map<number, Grid>();

function gridOf(step: number): Grid {
  let grid = GRIDS.get(step);
  if (grid === undefined) {
    const scale = 10 ** countDecimals(step);
    GRIDS.set(step, (grid = { units: Math.round(step * scale), scale }));
  }
  return grid;
}

/** Decimal places of a step such as 0.001 or 2.5e-7, so multiples of it can be written without binary noise. */
function countDecimals(step: number): number {
  if (!(step > 0) || Number.isInteger(step)) return 0;
  const text = step.toExponential();
  const [mantissa, exponent] = text.split('e') as [string, string];
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

/**
 * `count` steps, as the decimal number they are (3 × 0.1 is 0.3, not 0.30000000000000004): a whole number of grid
 * units divided once by the grid's scale gives the double nearest to it.
 */
function multipleOf(count: number, step: number): number {
  const { units, scale } = gridOf(step);
  return scale === 1 ? count * step : (count * units) / scale;
}

/**
 * A position smaller than one lot is dust: no order can close it (a venue takes whole lots), so it counts as flat.
 * Fills in lots never leave any; a venue's fill net of a fee taken in kind can (0.21003975 BTC sold as 0.21003).
 */
export function withoutDust(quantity: number, instrument: Instrument): number {
  return quantity !== 0 && Math.abs(quantity) < instrument.lotSize * (1 - 1e-9) ? 0 : quantity;
}

/** The quantity rounded down to a whole number of lots. Never rounds up: an order never grows by rounding. */
export function roundQuantity(quantity: number, instrument: Instrument): number {
  if (!(quantity > 0)) return 0;
  // The nudge keeps 0.3 / 0.1 = 2.9999999999999996 at 3 lots.
  const lots = Math.floor(quantity / instrument.lotSize + 1e-9);
  return lots <= 0 ? 0 : multipleOf(lots, instrument.lotSize);
}

/** A price rounded to the tick: `down`, `up` or to the `nearest` one. Unchanged without a tick size. */
export function roundPrice(price: number, instrument: Instrument, direction: 'down' | 'up' | 'nearest'): number {
  const tick = instrument.tickSize;
  if (!(tick > 0)) return price;
  const ticks = price / tick;
  const whole = direction === 'down' ? Math.floor(ticks + 1e-9) : direction === 'up' ? Math.ceil(ticks - 1e-9) : Math.round(ticks);
  return multipleOf(Math.max(whole, 1), tick);
}

/** Why an order of this quantity at this price breaks the instrument's limits, or undefined. */
export function orderSizeProblem(quantity: number, price: number, instrument: Instrument): string | undefined {
  if (quantity < instrument.minQuantity) return `${quantity} ${instrument.symbol} is below the minimum quantity of ${instrument.minQuantity}`;
  if (quantity > instrument.maxQuantity) return `${quantity} ${instrument.symbol} is above the maximum quantity of ${instrument.maxQuantity}`;
  const notional = quantity * price * instrument.multiplier;
  if (notional < instrument.minNotional) return `an order of ${quantity} ${instrument.symbol} at ${price} is worth ${notional.toFixed(2)}, below the minimum of ${instrument.minNotional}`;
  return undefined;
}

/**
 * The instruments of a run: from the data plugin, overridden field by field by the run's config, with the
 * defaults for whatever neither gives. A symbol nobody describes gets the defaults.
 */
export class InstrumentBook {
  private readonly bySymbol = new Map<string, Instrument>();

  constructor(...sources: readonly (readonly InstrumentSpec[])[]) {
    const merged = new Map<string, InstrumentSpec>();
    // Later sources win, field by field.
    for (const source of sources) for (const spec of source) merged.set(spec.symbol, { ...merged.get(spec.symbol), ...definedFields(spec) });
    for (const [symbol, spec] of merged) this.bySymbol.set(symbol, resolve(symbol, spec));
  }

  of(symbol: string): Instrument {
    let instrument = this.bySymbol.get(symbol);
    if (instrument === undefined) this.bySymbol.set(symbol, (instrument = resolve(symbol, { symbol })));
    return instrument;
  }

  /** The instruments described by a source or the config (not those made up from the defaults on first use). */
  described(): Instrument[] {
    return [...this.bySymbol.values()];
  }
}

function definedFields(spec: InstrumentSpec): InstrumentSpec {
  return Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)) as unknown as InstrumentSpec;
}

function resolve(symbol: string, spec: InstrumentSpec): Instrument {
  const lotSize = spec.lotSize ?? (spec.fractional === false ? 1 : DEFAULT_LOT_SIZE);
  if (!(lotSize > 0)) throw new RangeError(`instrument ${symbol}: lotSize must be above 0, got ${lotSize}`);
  if (spec.fractional === false && !Number.isInteger(lotSize)) throw new RangeError(`instrument ${symbol}: fractional is false but lotSize ${lotSize} is not a whole number`);
  return {
    symbol,
    tickSize: spec.tickSize ?? 0,
    lotSize,
    minQuantity: spec.minQuantity ?? 0,
    maxQuantity: spec.maxQuantity ?? Number.POSITIVE_INFINITY,
    minNotional: spec.minNotional ?? 0,
    multiplier: spec.multiplier ?? 1,
  };
}
