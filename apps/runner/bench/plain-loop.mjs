// The plain loop the engine is measured against: one strategy trading several symbols on a cash account, written
// from the rules in docs/config-reference.md ("How signals become orders", "Buying power", "The paper broker") and
// importing nothing from the engine, the core manager or the risk plugins. It calls the same strategy instance
// the engine runs (what a strategy costs is not the platform's cost) and does the rest itself, in arrays indexed by
// symbol: orders at the symbol's next open, market fills with fees, money in whole cents, the equity of every time
// step with the figures a result carries (return, Sharpe, drawdown, exposure, a thinned curve, buy and hold).
//
// The rules it follows:
// - a signal made on a bar is acted on at the open of the symbol's next bar; a buy while holding and an exit while
//   flat are ignored when made;
// - an entry is `fraction` of the strategy's equity at that open, rounded down to whole lots; an exit sells what is
//   held;
// - a market fill is at the open (no slippage); its fee is `feeBps` of its value in cents, half away from zero;
// - equity is cash plus the value of what is held at each symbol's last price: for sizing, each position's value
//   in cents; for the curve, the sum of values rounded once;
// - the equity of a time step is booked when the first bar of a later time arrives, and after the last bar.
// Buying power is not modelled: the workload is sized so that it never binds, and the loop throws if it would.

/** Cents, half away from zero (binary noise such as 1.005 × 100 absorbed). */
const cents = (x) => Math.sign(x) * Math.round(Math.abs(x * 100) + 1e-7);

/** Down to whole lots of `lot` (a power of ten below one), as a quantity. */
function wholeLots(quantity, lot, scale) {
  if (!(quantity > 0)) return 0;
  const lots = Math.floor(quantity / lot + 1e-9);
  return lots <= 0 ? 0 : lots / scale;
}

/** Up to `capacity` points of a curve, every `stride`-th kept; when full, every other one goes and the stride doubles. */
class ThinnedCurve {
  constructor(capacity) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.length = 0;
    this.stride = 1;
    this.seen = 0;
  }

  add(time, value) {
    if (this.seen++ % this.stride !== 0) return;
    if (this.length === this.times.length) {
      for (let i = 0; i < this.length / 2; i++) {
        this.times[i] = this.times[2 * i];
        this.values[i] = this.values[2 * i];
      }
      this.length /= 2;
      this.stride *= 2;
      if ((this.seen - 1) % this.stride !== 0) return;
    }
    this.times[this.length] = time;
    this.values[this.length++] = value;
  }
}

/** Return, Sharpe (per-period returns, annualised), maximum drawdown and time exposed of one curve, as it goes. */
class CurveFigures {
  constructor(periodsPerYear) {
    this.periodsPerYear = periodsPerYear;
    this.first = Number.NaN;
    this.last = Number.NaN;
    this.n = 0;
    this.mean = 0;
    this.m2 = 0;
    this.peak = Number.NEGATIVE_INFINITY;
    this.maxDrawdown = 0;
    this.exposed = 0;
    this.points = 0;
  }

  add(equity, exposed) {
    if (this.points++ === 0) this.first = equity;
    else {
      const r = equity / this.last - 1;
      const delta = r - this.mean;
      this.mean += delta / ++this.n;
      this.m2 += delta * (r - this.mean);
    }
    this.last = equity;
    if (equity > this.peak) this.peak = equity;
    else if (this.peak > 0) this.maxDrawdown = Math.max(this.maxDrawdown, 1 - equity / this.peak);
    if (exposed) this.exposed++;
  }

  result() {
    const sd = this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : 0;
    return {
      totalReturn: this.last / this.first - 1,
      sharpe: sd === 0 ? 0 : (this.mean / sd) * Math.sqrt(this.periodsPerYear),
      maxDrawdown: this.maxDrawdown,
      exposure: this.points === 0 ? 0 : this.exposed / this.points,
    };
  }
}

/**
 * Runs `strategy` (a started strategy instance) over `bars` (symbols interleaved, in time order) and returns the
 * trades, the final equity and the figures.
 */
export function plainLoop(bars, strategy, { symbols, capital, fraction, feeBps, lotSize, periodsPerYear }) {
  const k = symbols.length;
  const indexOf = new Map(symbols.map((s, i) => [s, i]));
  const lotScale = Math.round(1 / lotSize);
  const held = new Float64Array(k);
  const cost = new Float64Array(k); // cents paid for what is held
  const mark = new Float64Array(k).fill(Number.NaN);
  const pending = new Array(k).fill(undefined);
  const entryTime = new Float64Array(k);
  const entryFees = new Float64Array(k);
  // Symbols in the order they were first traded: the order the curve's values are summed in.
  const traded = [];
  let cash = cents(capital);
  let fees = 0;
  let realized = 0;
  const trades = [];
  const account = new CurveFigures(periodsPerYear);
  const curve = new ThinnedCurve(2_048);
  const buyAndHoldUnits = new Float64Array(k).fill(Number.NaN);
  const benchmark = new CurveFigures(periodsPerYear);
  let time = Number.NEGATIVE_INFINITY;
  let steps = 0;
  const feeOf = (value) => Math.min(cents((value * feeBps) / 10_000), cents(value));

  const bookStep = () => {
    let net = 0;
    let exposed = false;
    for (let j = 0; j < traded.length; j++) {
      const i = traded[j];
      if (held[i] !== 0) {
        net += held[i] * mark[i];
        exposed = true;
      }
    }
    const equity = (cash + cents(net)) / 100;
    account.add(equity, exposed);
    curve.add(time, equity);
    let hold = 0;
    for (let i = 0; i < k; i++) hold += buyAndHoldUnits[i] * mark[i];
    if (hold === hold) benchmark.add(hold, true);
    steps++;
  };

  /** The strategy's equity for sizing: allocation less fees plus what it made, each position valued in cents. */
  const sizingEquity = () => {
    let c = cents(capital) - fees + realized;
    for (let j = 0; j < traded.length; j++) {
      const i = traded[j];
      if (held[i] !== 0) c += cents(held[i] * mark[i]) - cost[i];
    }
    return c / 100;
  };

  for (const bar of bars) {
    const s = indexOf.get(bar.symbol);
    if (bar.time > time) {
      if (time !== Number.NEGATIVE_INFINITY) bookStep();
      time = bar.time;
    }
    if (buyAndHoldUnits[s] !== buyAndHoldUnits[s]) buyAndHoldUnits[s] = capital / k / bar.open;
    const signal = pending[s];
    if (signal !== undefined) {
      pending[s] = undefined;
      const price = bar.open;
      if (signal.side === 'buy') {
        const quantity = wholeLots((sizingEquity() * fraction) / price, lotSize, lotScale);
        if (quantity > 0) {
          const value = cents(quantity * price);
          const fee = feeOf(quantity * price);
          if (value + 2 * fee + cents(quantity * price * 0.001) + 3 > cash) throw new Error(`buying power would bind at ${new Date(bar.time).toISOString()} (${bar.symbol}): lower the fraction; the plain loop does not model resizing`);
          if (!traded.includes(s)) traded.push(s);
          cash -= value + fee;
          fees += fee;
          cost[s] = value;
          held[s] = quantity;
          entryTime[s] = bar.time;
          entryFees[s] = fee;
          mark[s] = price;
        }
      } else {
        const quantity = held[s];
        const value = cents(quantity * price);
        const fee = feeOf(quantity * price);
        const pnl = value - cost[s];
        cash += value - fee;
        fees += fee;
        realized += pnl;
        trades.push({ symbol: bar.symbol, quantity, entryTime: entryTime[s], exitTime: bar.time, pnl: (pnl - entryFees[s] - fee) / 100 });
        held[s] = 0;
        cost[s] = 0;
        mark[s] = price;
      }
    }
    mark[s] = bar.close;
    const out = strategy.onBar(bar);
    if (out !== undefined && out !== null) {
      // Judged when made: a buy while holding or an exit while flat could not become an order.
      if (out.side === 'buy' ? held[s] === 0 : held[s] !== 0) pending[s] = out;
    }
  }
  if (time !== Number.NEGATIVE_INFINITY) bookStep();
  let net = 0;
  for (let j = 0; j < traded.length; j++) net += held[traded[j]] * mark[traded[j]];
  return { steps, trades, equity: (cash + cents(net)) / 100, fees: fees / 100, figures: account.result(), curve, buyAndHold: benchmark.result() };
}
