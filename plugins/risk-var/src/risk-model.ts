import { JointReturns } from './joint-returns.js';
import { correlationOf, herfindahl, historicalTailRisk, parametricRisk, scaleToHorizon, tailSize, type TailRisk } from './math/var-math.js';
import { PriceHistory } from './return-history.js';

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

/**
 * Return histories per symbol (bounded), and portfolio risk of any set of position values computed from the
 * joint returns of those symbols: hedges and correlation count, nothing is summed per position. The joint
 * returns of each symbol set asked about are kept up to date as closes arrive (see `JointReturns`), so an
 * estimate costs O(k²) for the parametric figures and O(window·k) for the historical ones, with no re-alignment.
 */
export class RiskModel {
  private readonly histories = new Map<string, PriceHistory>();
  /** Bumped by every close recorded. */
  private version = 0;
  private readonly joints = new Map<string, Joint>();
  private pnl = new Float64Array(0);
  /** The last estimate and what it was asked: a fill and the position event after it ask the same again. */
  private last: { version: number; symbols: string[]; values: number[]; estimate: RiskEstimate } | undefined;

  constructor(private readonly options: RiskModelOptions) {}

  addClose(symbol: string, time: number, close: number): boolean {
    let h = this.histories.get(symbol);
    // Twice the window of closes, so symbols on a 5-day calendar still share `window` returns with 7-day ones.
    if (h === undefined) this.histories.set(symbol, (h = new PriceHistory(2 * this.options.window + 1)));
    const added = h.add(time, close);
    if (added) this.version++;
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
    if (this.pnl.length !== returns.periods) this.pnl = new Float64Array(returns.periods);
    returns.pnlOf(values, this.pnl);
    return historicalTailRisk(this.pnl, this.options.confidence);
  }

  private compute(positions: ReadonlyMap<string, number>): RiskEstimate {
    const symbols = [...positions.keys()].filter((s) => positions.get(s) !== 0).sort();
    if (symbols.length === 0) {
      return { ok: true, risk: { symbols, values: new Float64Array(0), historical: NO_RISK, parametric: NO_RISK, componentVar: new Float64Array(0), marginalVar: new Float64Array(0), correlation: [], herfindahl: 0, periods: 0 } };
    }
    const { minHistory, confidence, horizonBars } = this.options;
    const short = symbols.map((symbol) => ({ symbol, have: this.historyOf(symbol) })).filter((s) => s.have < minHistory);
    if (short.length > 0) return { ok: false, shortOf: short, common: 0 };
    const { returns, means, covariance } = this.jointOf(symbols);
    const periods = returns.periods;
    if (periods < minHistory) return { ok: false, shortOf: symbols.map((symbol) => ({ symbol, have: periods })), common: periods };

    const values = new Float64Array(symbols.length);
    for (let i = 0; i < symbols.length; i++) values[i] = positions.get(symbols[i]!)!;
    const historical = returns.tailOfOne(values[0]!, tailSize(periods, confidence)) ?? this.historicalOf(returns, values);
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
