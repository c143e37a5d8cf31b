import { blockMoments, blockPnl, type ExtraRow } from './joint-block.js';
import { JointReturns } from './joint-returns.js';
import { correlationOf, herfindahl, historicalTailRisk, parametricRisk, scaleToHorizon, type TailRisk } from './math/var-math.js';
import { PriceHistory } from './return-history.js';
import { SharedCalendar } from './shared-calendar.js';

export interface PortfolioRisk {
  readonly symbols: readonly string[];
  readonly values: Float64Array;
  readonly historical: TailRisk;
  readonly parametric: TailRisk;
  /** Per symbol, Euler decomposition of parametric VaR. */
  readonly componentVar: Float64Array;
  readonly marginalVar: Float64Array;
  readonly correlation: Float64Array[];
  readonly herfindahl: number;
  /** Common periods the figures rest on. */
  readonly periods: number;
}

export type RiskEstimate =
  | { readonly ok: true; readonly risk: PortfolioRisk }
  | { readonly ok: false; readonly shortOf: readonly { readonly symbol: string; readonly have: number }[]; readonly common: number };

export interface RiskModelOptions {
  readonly confidence: number;
  readonly horizonBars: number;
  readonly window: number;
  readonly minHistory: number;
}

const NO_RISK: TailRisk = { valueAtRisk: 0, expectedShortfall: 0 };

/** A book whose window cannot be read from the shared one. */
const APART = Symbol('apart');

/** Symbol sets whose joint returns are kept up to date: the books held and the books an order would make. */
const KEPT_SETS = 32;

/** A symbol set's joint returns with room for its moments. */
interface Joint {
  readonly returns: JointReturns;
  readonly means: Float64Array;
  readonly flatCovariance: Float64Array;
  /** Rows of `flatCovariance`, as `parametricRisk` takes them. */
  readonly covariance: Float64Array[];
  /** The model's version the moments were read at. */
  momentsAt: number;
}

/** The joint window of every symbol, while they share one calendar. */
interface Universe {
  readonly symbols: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly returns: JointReturns;
  readonly means: Float64Array;
  readonly covariance: Float64Array;
  momentsAt: number;
  /** A book's values placed at its symbols' indices, for `pnlOf`. */
  readonly values: Float64Array;
}

/**
 * Return histories per symbol (bounded), and portfolio risk of any set of position values computed from the
 * joint returns of those symbols: hedges and correlation count, nothing is summed per position. While every
 * symbol closes on the same times, one window of all of them is kept, a row per time, and any book's moments are
 * a block of its covariance; otherwise each symbol set asked about keeps its own window (`JointReturns`). Either
 * way nothing is re-aligned: an estimate costs O(k²) for the parametric figures and one pass over the window for
 * the historical ones (the book's P&L per period, the m worst kept as it goes). Keeping each symbol's returns
 * sorted would answer a one-symbol book in O(m), but costs a block move per symbol on every time step: more than
 * the pass, unless books are asked about more often than bars arrive.
 */
export class RiskModel {
  private readonly histories = new Map<string, PriceHistory>();
  /** Bumped by every close recorded. */
  private version = 0;
  private readonly joints = new Map<string, Joint>();
  private readonly calendar: SharedCalendar;
  private universe: Universe | undefined;
  /** A book's P&L per period: a window's, and the extra row a book read from the shared window may add. */
  private readonly pnl: Float64Array;
  /** The last estimate and what it was asked: a fill and the position event after it ask the same again. */
  private last: { version: number; symbols: string[]; values: number[]; estimate: RiskEstimate } | undefined;

  constructor(private readonly options: RiskModelOptions) {
    this.pnl = new Float64Array(options.window + 1);
    this.calendar = new SharedCalendar(2 * options.window + 2);
  }

  addClose(symbol: string, time: number, close: number): boolean {
    let h = this.histories.get(symbol);
    // Twice the window of closes, so symbols on a 5-day calendar still share `window` returns with 7-day ones.
    if (h === undefined) this.histories.set(symbol, (h = new PriceHistory(2 * this.options.window + 1)));
    const added = h.add(time, close);
    if (added) {
      this.version++;
      this.calendar.add(h.added, time);
    }
    return added;
  }

  private jointOf(symbols: readonly string[]): Joint {
    const key = symbols.length === 1 ? symbols[0]! : symbols.join('\u0000');
    let joint = this.joints.get(key);
    if (joint === undefined) {
      // The oldest set asked about makes room; a set asked again is rebuilt from the histories.
      if (this.joints.size >= KEPT_SETS) this.joints.delete(this.joints.keys().next().value!);
      const k = symbols.length;
      const flatCovariance = new Float64Array(k * k);
      joint = {
        returns: new JointReturns(symbols.map((s) => this.histories.get(s)!), this.options.window),
        means: new Float64Array(k),
        flatCovariance,
        covariance: Array.from({ length: k }, (_, i) => flatCovariance.subarray(i * k, (i + 1) * k)),
        momentsAt: -1,
      };
      this.joints.set(key, joint);
    }
    if (joint.momentsAt !== this.version) {
      joint.returns.update(this.version);
      joint.returns.moments(joint.means, joint.flatCovariance);
      joint.momentsAt = this.version;
    }
    return joint;
  }

  /** The window of every symbol, up to date; remade when a symbol is added. */
  private universeNow(): Universe {
    let u = this.universe;
    if (u === undefined || u.symbols.length !== this.histories.size) {
      const symbols = [...this.histories.keys()].sort();
      const k = symbols.length;
      u = {
        symbols,
        index: new Map(symbols.map((s, i) => [s, i])),
        returns: new JointReturns(symbols.map((s) => this.histories.get(s)!), this.options.window),
        means: new Float64Array(k),
        covariance: new Float64Array(k * k),
        momentsAt: -1,
        values: new Float64Array(k),
      };
      this.universe = u;
    }
    if (u.momentsAt !== this.version) {
      u.returns.update(this.version);
      u.returns.moments(u.means, u.covariance);
      u.momentsAt = this.version;
    }
    return u;
  }

  /**
   * How a book's window differs from the shared one: not at all (a book symbol has nothing after the last common
   * time), by one row (each has one close after it, all at the same time: bars of that time still coming for the
   * other symbols), or too much to read from it (`APART`: its own window is kept instead).
   */
  private extraRowOf(u: Universe, symbols: readonly string[]): ExtraRow | undefined | typeof APART {
    const base = u.returns.lastCommonTime;
    let time = Number.NaN;
    const returns = new Float64Array(symbols.length);
    for (let a = 0; a < symbols.length; a++) {
      const h = this.histories.get(symbols[a]!)!;
      if (h.lastTime === base) return undefined;
      if (h.size < 2 || h.timeAt(h.size - 2) !== base || (a > 0 && h.lastTime !== time)) return APART;
      time = h.lastTime;
      returns[a] = h.closeAt(h.size - 1) / u.returns.baseCloseOf(u.index.get(symbols[a]!)!) - 1;
    }
    return { returns };
  }

  /** Returns available for a symbol on its own. */
  historyOf(symbol: string): number {
    return Math.max(0, (this.histories.get(symbol)?.size ?? 0) - 1);
  }

  /** Risk of holding `values` (currency, signed, per symbol) over the configured horizon. */
  estimate(positions: ReadonlyMap<string, number>): RiskEstimate {
    const last = this.last;
    if (last !== undefined && last.version === this.version && last.symbols.length === positions.size) {
      let same = true;
      let i = 0;
      for (const [symbol, value] of positions) {
        if (last.symbols[i] !== symbol || !Object.is(last.values[i], value)) {
          same = false;
          break;
        }
        i++;
      }
      if (same) return last.estimate;
    }
    const estimate = this.compute(positions);
    this.last = { version: this.version, symbols: [...positions.keys()], values: [...positions.values()], estimate };
    return estimate;
  }

  /** Historical simulation over the window: the book's P&L in each period, then its tail. */
  private historicalOf(returns: JointReturns, values: Float64Array): TailRisk {
    returns.pnlOf(values, this.pnl);
    return historicalTailRisk(this.pnl.subarray(0, returns.periods), this.options.confidence);
  }

  private compute(positions: ReadonlyMap<string, number>): RiskEstimate {
    const symbols = [...positions.keys()].filter((s) => positions.get(s) !== 0).sort();
    if (symbols.length === 0) {
      return { ok: true, risk: { symbols, values: new Float64Array(0), historical: NO_RISK, parametric: NO_RISK, componentVar: new Float64Array(0), marginalVar: new Float64Array(0), correlation: [], herfindahl: 0, periods: 0 } };
    }
    const { minHistory, confidence, horizonBars } = this.options;
    const short = symbols.map((symbol) => ({ symbol, have: this.historyOf(symbol) })).filter((s) => s.have < minHistory);
    if (short.length > 0) return { ok: false, shortOf: short, common: 0 };
    const values = new Float64Array(symbols.length);
    for (let i = 0; i < symbols.length; i++) values[i] = positions.get(symbols[i]!)!;
    let periods: number;
    let means: Float64Array;
    let covariance: Float64Array[];
    let historical: TailRisk;
    const u = this.calendar.shared ? this.universeNow() : undefined;
    const extra = u === undefined ? APART : this.extraRowOf(u, symbols);
    if (u !== undefined && extra !== APART) {
      const at = symbols.map((s) => u.index.get(s)!);
      periods = u.returns.periods + (extra !== undefined && !u.returns.full ? 1 : 0);
      if (periods < minHistory) return { ok: false, shortOf: symbols.map((symbol) => ({ symbol, have: periods })), common: periods };
      means = new Float64Array(at.length);
      covariance = [];
      for (let a = 0; a < at.length; a++) covariance.push(new Float64Array(at.length));
      blockMoments(u.returns, at, extra, means, covariance);
      u.values.fill(0);
      let extraPnl = 0;
      for (let a = 0; a < at.length; a++) {
        u.values[at[a]!] = values[a]!;
        if (extra !== undefined) extraPnl += values[a]! * extra.returns[a]!;
      }
      const n = blockPnl(u.returns, u.values, extra === undefined ? undefined : extraPnl, this.pnl);
      historical = historicalTailRisk(this.pnl.subarray(0, n), confidence);
    } else {
      const joint = this.jointOf(symbols);
      periods = joint.returns.periods;
      if (periods < minHistory) return { ok: false, shortOf: symbols.map((symbol) => ({ symbol, have: periods })), common: periods };
      means = joint.means;
      covariance = joint.covariance;
      historical = this.historicalOf(joint.returns, values);
    }
    const parametric = parametricRisk(values, covariance, means, confidence, horizonBars);
    return {
      ok: true,
      risk: {
        symbols,
        values,
        historical: scaleToHorizon(historical, horizonBars),
        parametric: { valueAtRisk: parametric.valueAtRisk, expectedShortfall: parametric.expectedShortfall },
        componentVar: parametric.component,
        marginalVar: parametric.marginal,
        correlation: correlationOf(covariance),
        herfindahl: herfindahl(values),
        periods,
      },
    };
  }
}
