import { Atr, SeriesMap } from '@trading-orchestrator/indicators';
import type { Bar, Signal, Timeframe } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';

export const sizingRule = z
  .discriminatedUnion('method', [
    /** The same quantity every time. */
    z.object({ method: z.literal('fixed-quantity'), quantity: z.number().positive() }),
    /** A fixed share of the strategy's equity per entry. */
    z.object({ method: z.literal('fixed-fraction'), fraction: z.number().positive().max(1) }),
    /** Risk `riskFraction` of equity on a move of `atrMultiple` ATRs: quantity = equity·risk / (multiple·ATR). */
    z.object({
      method: z.literal('volatility-target'),
      riskFraction: z.number().positive().max(1),
      atrPeriod: z.number().int().min(1).default(14),
      atrMultiple: z.number().positive().default(2),
    }),
    /** The signal's `sizeHint` share of equity (or `defaultFraction` without one). */
    z.object({ method: z.literal('strategy-hint'), defaultFraction: z.number().positive().max(1).default(0.1) }),
  ])
  .and(
    z.object({
      /** Cap on one entry's value as a share of the strategy's equity. */
      maxPositionFraction: z.number().positive().max(10).default(1),
      /**
       * The price a market order is sized at: the open of the bar it fills on (`next-open`, the default: the price
       * actually paid), or the close of the bar that made the signal (`signal-close`). Limit orders are sized at
       * the limit.
       */
      price: z.enum(['next-open', 'signal-close']).optional(),
    }),
  );

export type SizingRule = z.infer<typeof sizingRule>;

/**
 * Turns an entry signal into a quantity for one strategy. Keeps an ATR per series (symbol and timeframe) when the
 * rule needs one; every order it sizes still goes through the risk gate.
 */
export class PositionSizer {
  /** One ATR per series: a strategy on hourly and four-hour bars has two of one symbol. */
  private readonly atrs: SeriesMap<Atr>;

  /** The ATR period kept per series, or 0 when none is kept. */
  readonly atrPeriod: number;

  /**
   * `atrPeriod`: keep an ATR of this period per series even when the rule does not size with one (for trailing
   * stops measured in ATRs). The volatility-target rule keeps its own `atrPeriod`'s.
   */
  constructor(
    readonly rule: SizingRule,
    atrPeriod?: number,
  ) {
    this.atrPeriod = rule.method === 'volatility-target' ? rule.atrPeriod : (atrPeriod ?? 0);
    // Made only by `onBar`, which returns first when no ATR is kept.
    this.atrs = new SeriesMap(() => new Atr(this.atrPeriod));
  }

  onBar(bar: Bar): void {
    if (this.atrPeriod === 0) return;
    this.atrs.of(bar).update(bar.high, bar.low, bar.close);
  }

  /**
   * The ATR of a symbol's series (of `timeframe`, or the symbol's one series), or undefined when none is kept or it
   * is not defined yet.
   */
  atr(symbol: string, timeframe?: Timeframe): number | undefined {
    const series = this.atrs.ofSymbol(symbol);
    const atr = timeframe === undefined ? (series?.size === 1 ? series.values().next().value : undefined) : series?.get(timeframe);
    return atr !== undefined && atr.isStable && atr.value > 0 ? atr.value : undefined;
  }

  /**
   * Quantity to buy or sell for one entry (unrounded, capped at `maxPositionFraction` of `equity`), or 0 with the
   * reason when none can be sized. `timeframe` is that of the bars the signal came from (default: the signal's own,
   * or the symbol's one series), whose ATR sizes it.
   */
  size(signal: Signal, price: number, equity: number, timeframe = signal.timeframe): { quantity: number; reason?: string } {
    if (!(equity > 0)) return { quantity: 0, reason: `strategy equity is ${equity.toFixed(2)}` };
    const rule = this.rule;
    let quantity: number;
    switch (rule.method) {
      case 'fixed-quantity':
        quantity = rule.quantity;
        break;
      case 'fixed-fraction':
        quantity = (equity * rule.fraction) / price;
        break;
      case 'strategy-hint':
        quantity = (equity * (signal.sizeHint ?? rule.defaultFraction)) / price;
        break;
      case 'volatility-target': {
        const atr = this.atr(signal.symbol, timeframe);
        if (atr === undefined) return { quantity: 0, reason: `ATR(${rule.atrPeriod}) of ${signal.symbol} is not defined yet` };
        quantity = (equity * rule.riskFraction) / (rule.atrMultiple * atr);
        break;
      }
    }
    // Unrounded: the instrument's lot size rounds it, where the order is made.
    quantity = Math.min(quantity, (equity * rule.maxPositionFraction) / price);
    return quantity > 0 ? { quantity } : { quantity: 0, reason: 'sized to zero' };
  }
}
