// The risk model as it was before its joint returns were kept incrementally: every estimate re-aligns the symbols'
// closes and recomputes the moments in two passes. Kept as the computation the incremental model must equal.
import { covarianceOf, correlationOf, herfindahl, historicalTailRisk, parametricRisk, scaleToHorizon, type TailRisk } from '../../src/math/var-math.js';
import { alignReturns, PriceHistory } from '../../src/return-history.js';
import type { PortfolioRisk, RiskEstimate, RiskModelOptions } from '../../src/risk-model.js';

const NO_RISK: TailRisk = { valueAtRisk: 0, expectedShortfall: 0 };

/**
 * Return histories per symbol (bounded), and portfolio risk of any set of position values computed from the
 * joint returns of those symbols: hedges and correlation count, nothing is summed per position.
 */
export class ReferenceRiskModel {
  private readonly histories = new Map<string, PriceHistory>();
  /** Bumped by every close recorded: the joint returns below are valid while it stays the same. */
  private version = 0;
  /**
   * The aligned returns of the last symbol set asked about, with their moments. Order checks, fills and position
   * events between two bars all ask about the same symbols; they share one alignment and one covariance.
   */
  private joint: { key: string; version: number; series: Float64Array[]; means: Float64Array; covariance: Float64Array[]; correlation: Float64Array[] } | undefined;
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

  private jointReturns(symbols: readonly string[]): NonNullable<ReferenceRiskModel['joint']> {
    const key = symbols.join('\u0000');
    if (this.joint?.key === key && this.joint.version === this.version) return this.joint;
    const series = alignReturns(symbols.map((s) => this.histories.get(s)!), this.options.window);
    const { means, covariance } = covarianceOf(series);
    this.joint = { key, version: this.version, series, means, covariance, correlation: correlationOf(covariance) };
    return this.joint;
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

  private compute(positions: ReadonlyMap<string, number>): RiskEstimate {
    const symbols = [...positions.keys()].filter((s) => positions.get(s) !== 0).sort();
    if (symbols.length === 0) {
      return { ok: true, risk: { symbols, values: new Float64Array(0), historical: NO_RISK, parametric: NO_RISK, componentVar: new Float64Array(0), marginalVar: new Float64Array(0), correlation: [], herfindahl: 0, periods: 0 } };
    }
    const { minHistory, confidence, horizonBars } = this.options;
    const short = symbols.map((symbol) => ({ symbol, have: this.historyOf(symbol) })).filter((s) => s.have < minHistory);
    if (short.length > 0) return { ok: false, shortOf: short, common: 0 };
    const { series, means, covariance, correlation } = this.jointReturns(symbols);
    const periods = series[0]!.length;
    if (periods < minHistory) return { ok: false, shortOf: symbols.map((symbol) => ({ symbol, have: periods })), common: periods };

    const values = Float64Array.from(symbols, (s) => positions.get(s)!);
    if (this.pnl.length !== periods) this.pnl = new Float64Array(periods);
    const pnl = this.pnl;
    for (let t = 0; t < periods; t++) {
      let p = 0;
      for (let i = 0; i < symbols.length; i++) p += values[i]! * series[i]![t]!;
      pnl[t] = p;
    }
    const parametric = parametricRisk(values, covariance, means, confidence, horizonBars);
    return {
      ok: true,
      risk: {
        symbols,
        values,
        historical: scaleToHorizon(historicalTailRisk(pnl, confidence), horizonBars),
        parametric: { valueAtRisk: parametric.valueAtRisk, expectedShortfall: parametric.expectedShortfall },
        componentVar: parametric.component,
        marginalVar: parametric.marginal,
        correlation,
        herfindahl: herfindahl(values),
        periods,
      },
    };
  }
}
