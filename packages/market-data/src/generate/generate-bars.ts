import { timeframeToMs, type Bar, type Timeframe } from '@trading-orchestrator/plugin-api';
import { SeededRandom } from './random.js';

/** A market state: annualised drift and volatility, and how long it lasts on average (in bars). */
export interface Regime {
  readonly drift: number;
  readonly volatility: number;
  readonly meanBars: number;
}

/** Hours in which bars exist, e.g. US equities 14:30–21:00 UTC on weekdays. */
export interface TradingSession {
  /** Minutes after midnight UTC. */
  readonly openMinute: number;
  readonly closeMinute: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekdays: readonly number[];
}

export interface BarGeneratorOptions {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly count: number;
  readonly seed: number;
  /** Open time of the first bar (epoch ms, UTC). Default 2024-01-01. */
  readonly start?: number;
  readonly initialPrice?: number;
  /** Annualised drift (e.g. 0.05) and volatility (e.g. 0.2) when no regimes are given. */
  readonly drift?: number;
  readonly volatility?: number;
  /** Switch between regimes at random (geometric durations with the given means). */
  readonly regimes?: readonly Regime[];
  /** Chance that a bar opens away from the previous close (an overnight or weekend gap). */
  readonly gapProbability?: number;
  /** Standard deviation of a gap, as a log-return. */
  readonly gapVolatility?: number;
  readonly session?: TradingSession;
  /** Periods per year used to scale drift and volatility. Default: from the timeframe, 365 days a year. */
  readonly periodsPerYear?: number;
  /** Base volume per bar (lognormal around it). Default 1,000. */
  readonly volume?: number;
}

const YEAR_MS = 365 * 24 * 3_600_000;
/** Price moves are simulated in this many steps inside a bar, so high and low are path extremes. */
const STEPS_PER_BAR = 4;

export const US_EQUITY_SESSION: TradingSession = { openMinute: 14 * 60 + 30, closeMinute: 21 * 60, weekdays: [1, 2, 3, 4, 5] };

const DAY_MS = 86_400_000;

/** Intraday bars must open inside the session's hours; daily and longer bars only need a trading weekday. */
function inSession(time: number, step: number, session: TradingSession | undefined): boolean {
  if (session === undefined) return true;
  const d = new Date(time);
  if (!session.weekdays.includes(d.getUTCDay())) return false;
  if (step >= DAY_MS) return true;
  const minute = d.getUTCHours() * 60 + d.getUTCMinutes();
  return minute >= session.openMinute && minute < session.closeMinute;
}

/**
 * Geometric random walk bars: log-returns with drift and volatility (optionally switching regimes), gaps at bar
 * opens, and only the times inside a trading session. Deterministic for a seed. Prices are rounded to cents.
 */
export function* generateBars(options: BarGeneratorOptions): Generator<Bar> {
  const rng = new SeededRandom(options.seed);
  const step = timeframeToMs(options.timeframe);
  const periodsPerYear = options.periodsPerYear ?? YEAR_MS / step;
  const regimes = options.regimes ?? [{ drift: options.drift ?? 0, volatility: options.volatility ?? 0.5, meanBars: Number.POSITIVE_INFINITY }];
  if (regimes.length === 0) throw new RangeError('regimes must not be empty');
  let regime = 0;
  let price = options.initialPrice ?? 100;
  let time = options.start ?? Date.UTC(2024, 0, 1);
  const round = (x: number) => Math.max(0.01, Math.round(x * 100) / 100);
  // A session that holds no bar of this timeframe in a whole week never will.
  const maxSkipped = Math.ceil((8 * DAY_MS) / step);
  let skipped = 0;
  for (let produced = 0; produced < options.count; time += step) {
    if (!inSession(time, step, options.session)) {
      if (++skipped > maxSkipped) throw new RangeError(`no ${options.timeframe} bar ever opens inside the trading session; check its hours and weekdays`);
      continue;
    }
    skipped = 0;
    const r = regimes[regime]!;
    const dt = 1 / periodsPerYear / STEPS_PER_BAR;
    const mu = (r.drift - (r.volatility * r.volatility) / 2) * dt;
    const sigma = r.volatility * Math.sqrt(dt);
    let open = price;
    if (options.gapProbability !== undefined && rng.next() < options.gapProbability) {
      open = price * Math.exp((options.gapVolatility ?? 0.02) * rng.normal());
    }
    let p = open;
    let high = open;
    let low = open;
    for (let s = 0; s < STEPS_PER_BAR; s++) {
      p *= Math.exp(mu + sigma * rng.normal());
      if (p > high) high = p;
      if (p < low) low = p;
    }
    price = p;
    const volume = Math.round((options.volume ?? 1_000) * Math.exp(0.5 * rng.normal()) * 1e4) / 1e4;
    const o = round(open);
    const c = round(p);
    yield { symbol: options.symbol, timeframe: options.timeframe, time, open: o, high: Math.max(round(high), o, c), low: Math.min(round(low), o, c), close: c, volume };
    produced++;
    if (regimes.length > 1 && rng.next() < 1 / r.meanBars) regime = (regime + 1 + Math.floor(rng.next() * (regimes.length - 1))) % regimes.length;
  }
}

/** Several symbols' bars merged in time order (ties by symbol), each from its own seed. */
export function generateUniverse(symbols: readonly string[], options: Omit<BarGeneratorOptions, 'symbol' | 'seed'> & { readonly seed: number }): Bar[] {
  const all = symbols.flatMap((symbol, i) => [...generateBars({ ...options, symbol, seed: options.seed + i * 7919, initialPrice: options.initialPrice ?? 50 + 25 * i })]);
  return all.sort((a, b) => a.time - b.time || (a.symbol < b.symbol ? -1 : 1));
}
