/** Account money is kept in integer cents, so cash, fees and P&L add up exactly. */
export type Cents = number;

export function toCents(amount: number): Cents {
  // Round half away from zero; the epsilon absorbs binary noise such as 1.005 × 100 = 100.49999….
  const scaled = amount * 100;
  return Math.sign(scaled) * Math.round(Math.abs(scaled) + 1e-7);
}

export function fromCents(cents: Cents): number {
  return cents / 100;
}

/** A share of an amount of cents, in whole cents, half away from zero as `toCents` rounds (a long's and a short's alike). */
export function shareOf(amount: Cents, part: number, whole: number): Cents {
  const share = (amount * part) / whole;
  return Math.sign(share) * Math.round(Math.abs(share));
}
