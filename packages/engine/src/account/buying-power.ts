import type { OrderSide } from '@trading-orchestrator/plugin-api';

/**
 * What an account lets a strategy spend. A `cash` account (spot crypto, equities without margin) never goes below
 * zero cash and cannot sell short. A `margin` account may borrow: its positions' gross value may reach its equity
 * times `leverage` (a margin requirement of 1 / leverage), shorts included when the run allows them.
 */
export interface AccountRules {
  readonly type: 'cash' | 'margin';
  /** Margin accounts: gross exposure up to equity × leverage. At least 1. */
  readonly leverage: number;
  /** An order the account cannot pay in full: cut to what it can pay, or refused. */
  readonly insufficientFunds: 'resize' | 'reject';
  /**
   * When the broker cannot estimate its own fills (`Broker.estimateFill`): basis points added to the price, against
   * the order, to cover fees and slippage.
   */
  readonly costAllowanceBps: number;
}

export const DEFAULT_ACCOUNT: AccountRules = { type: 'cash', leverage: 1, insufficientFunds: 'resize', costAllowanceBps: 10 };

/** A strategy's money as of now, its working orders' claims already taken off. */
export interface Wallet {
  /** Cash not spoken for by working orders. */
  readonly cash: number;
  readonly equity: number;
  /** Σ |value| of its positions and of what its working orders would open. */
  readonly grossExposure: number;
}

/** What a fill of a quantity is expected to cost: its price (slippage included) and fee. */
export type FillEstimate = (side: OrderSide, quantity: number) => { readonly price: number; readonly fee: number };

/** An order as buying power sees it. `opens` of its units add exposure; the rest close a position. */
export interface OrderNeed {
  readonly side: OrderSide;
  readonly quantity: number;
  readonly opens: number;
}

/** What an order would take from the wallet: cash (cash accounts) and exposure (margin accounts). */
export interface Claim {
  readonly cash: number;
  readonly exposure: number;
  /** The price it is expected to fill at (NaN for a reduction, which claims nothing). */
  readonly price: number;
}

/** What a reduction claims: nothing. */
export const NO_CLAIM: Claim = { cash: 0, exposure: 0, price: Number.NaN };

/**
 * The cash and exposure an order claims. A buy in a cash account pays its value and fee, and keeps back the fee of
 * selling it again (so closing never needs cash the account does not have); a reduction there brings in more than
 * its fee, and claims nothing. In a margin account an order claims its opening part's value at the buying price
 * (the dearer side, whichever way it goes), and its fee and the spread between buying and selling on its whole
 * quantity, times the leverage: the equity that carries the exposure loses the fee, and at most the spread when
 * orders of both directions fill on one bar and the position is marked at the last of them. A reduction claims its
 * fee and spread, until it fills.
 */
export function claimOf(need: OrderNeed, rules: AccountRules, multiplier: number, estimate: FillEstimate): Claim {
  if (rules.type === 'cash') {
    if (need.opens <= 0) return NO_CLAIM;
    const fill = estimate(need.side, need.quantity);
    const exitFee = estimate(need.side === 'buy' ? 'sell' : 'buy', need.opens).fee;
    const value = need.opens * fill.price * multiplier;
    return { cash: need.side === 'buy' ? need.quantity * fill.price * multiplier + fill.fee + exitFee : fill.fee + exitFee, exposure: value, price: fill.price };
  }
  const buy = estimate('buy', need.quantity);
  const sell = estimate('sell', need.quantity);
  const fill = need.side === 'buy' ? buy : sell;
  const spread = Math.max(0, buy.price - sell.price) * need.quantity * multiplier;
  const exposure = Math.max(0, need.opens) * buy.price * multiplier + (fill.fee + spread) * rules.leverage;
  return { cash: 0, exposure, price: fill.price };
}

/**
 * Whether a claim fits the wallet. The ledger books each amount rounded to the cent, so the check keeps a cent of
 * room per rounded amount: the limits then hold to the cent after the fill, not only before it.
 */
function fits(claim: Claim, closes: number, price: number, multiplier: number, wallet: Wallet, rules: AccountRules): boolean {
  if (rules.type === 'cash') return claim.cash + CENT * 3 <= wallet.cash;
  // Closing part of a position first frees its exposure.
  const gross = Math.max(0, wallet.grossExposure - closes * price * multiplier) + claim.exposure;
  return gross + CENT * (rules.leverage + 2) <= rules.leverage * wallet.equity;
}

const CENT = 0.01;

export interface Affordable {
  /** The quantity the account can pay, at most the one asked; 0 when not even one lot. */
  readonly quantity: number;
  readonly claim: Claim;
}

/**
 * The largest quantity of `need`, in whole `lot`s, the wallet can pay for (the whole of it when it can). With the
 * `reject` policy an order is paid in full or not at all. The part that closes a position is always affordable.
 * `whole` is `claimOf(need)`, when the caller has it already.
 */
export function affordable(need: OrderNeed, lot: number, multiplier: number, wallet: Wallet, rules: AccountRules, estimate: FillEstimate, whole = claimOf(need, rules, multiplier, estimate)): Affordable {
  const closes = need.quantity - need.opens;
  const at = (quantity: number): Claim => claimOf({ side: need.side, quantity, opens: quantity - closes }, rules, multiplier, estimate);
  const price = whole.price;
  if (need.opens <= 0 || fits(whole, closes, price, multiplier, wallet, rules)) return { quantity: need.quantity, claim: whole };
  const none = { quantity: rules.insufficientFunds === 'reject' || closes <= 0 ? 0 : closes, claim: NO_CLAIM };
  if (rules.insufficientFunds === 'reject') return { quantity: 0, claim: NO_CLAIM };
  // The most lots of the opening part that fit: cost only grows with quantity, so halve the interval until it closes.
  let low = 0;
  let high = Math.floor(need.opens / lot + 1e-9);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(at(closes + mid * lot), closes, price, multiplier, wallet, rules)) low = mid;
    else high = mid - 1;
  }
  if (low === 0) return none;
  const quantity = closes + low * lot;
  return { quantity, claim: at(quantity) };
}
