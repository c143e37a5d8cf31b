import type { OrderRequest } from '../run/engine-types.js';
import type { SlotState } from '../run/slot-state.js';
import type { Ignored, Sizes } from './order-plan.js';

/** Sizes for a plan made before the price is known: any plan that needs one is not decided early. */
export const UNSIZED: Sizes = {
  entry: () => ({ code: 'SIZED_TO_ZERO', message: () => 'not sized before the next bar' }),
  unitsWorth: () => Number.NaN,
  accountEquity: Number.NaN,
  strategyEquity: Number.NaN,
};

/** How `planOrder` turns a request's sizes into units, for one request at a time (set by `of`). */
export class RequestSizes implements Sizes {
  private state!: SlotState;
  private request!: OrderRequest;
  private price = Number.NaN;
  private multiplier = 1;
  accountEquity = Number.NaN;
  strategyEquity = Number.NaN;

  of(state: SlotState, request: OrderRequest, price: number, multiplier: number, accountEquity: number): this {
    this.state = state;
    this.request = request;
    this.price = price;
    this.multiplier = multiplier;
    this.accountEquity = accountEquity;
    this.strategyEquity = state.account.equity();
    return this;
  }

  entry(): number | Ignored {
    const sized = this.state.sizer.size(this.request.signal, this.price, this.strategyEquity, this.request.timeframe);
    return sized.quantity > 0 ? sized.quantity : { code: 'SIZED_TO_ZERO', message: () => sized.reason ?? 'sized to zero' };
  }

  unitsWorth(value: number): number {
    return value / (this.price * this.multiplier);
  }
}
