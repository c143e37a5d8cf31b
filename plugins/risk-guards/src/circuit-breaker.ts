import type { PortfolioSnapshot, RiskEvent } from '@trading-orchestrator/plugin-api';
import type { GuardsConfig } from './config.js';

const DAY = 86_400_000;
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

type Raise = (event: Omit<RiskEvent, 'time'> & { readonly time?: number }) => void;

/**
 * Watches equity: trips on a drawdown from the peak or a loss since the day's open, and recovers by the
 * configured rule. While tripped the book is reduce-only.
 */
export class CircuitBreaker {
  private peak = Number.NaN;
  private day = Number.NaN;
  private dayOpen = Number.NaN;
  private barsSinceTrip = 0;
  private tripReason: string | undefined;
  drawdown = 0;
  dailyLoss = 0;

  constructor(
    private readonly config: GuardsConfig['circuitBreaker'],
    private readonly raise: Raise,
  ) {}

  /** Plain JSON of what the breaker has seen, for a checkpoint. */
  toState(): { peak: number | null; day: number | null; dayOpen: number | null; barsSinceTrip: number; tripReason: string | null } {
    const n = (x: number) => (Number.isNaN(x) ? null : x);
    return { peak: n(this.peak), day: n(this.day), dayOpen: n(this.dayOpen), barsSinceTrip: this.barsSinceTrip, tripReason: this.tripReason ?? null };
  }

  restore(state: ReturnType<CircuitBreaker['toState']>): void {
    this.peak = state.peak ?? Number.NaN;
    this.day = state.day ?? Number.NaN;
    this.dayOpen = state.dayOpen ?? Number.NaN;
    this.barsSinceTrip = state.barsSinceTrip;
    this.tripReason = state.tripReason ?? undefined;
  }

  get halted(): boolean {
    return this.tripReason !== undefined;
  }

  get reason(): string | undefined {
    return this.tripReason;
  }

  observe(portfolio: PortfolioSnapshot): void {
    const equity = portfolio.equity;
    const day = Math.floor(portfolio.time / DAY);
    if (day !== this.day) {
      this.day = day;
      this.dayOpen = equity;
      if (this.halted && this.config.recovery === 'next-day') this.recover(portfolio, 'a new trading day began');
    }
    if (!(equity <= this.peak)) this.peak = equity;
    this.drawdown = this.peak > 0 ? (this.peak - equity) / this.peak : 0;
    this.dailyLoss = this.dayOpen > 0 ? (this.dayOpen - equity) / this.dayOpen : 0;
    if (this.halted) return;
    const values = { equity, peak: this.peak, dayOpen: this.dayOpen, drawdown: this.drawdown, dailyLoss: this.dailyLoss };
    if (this.drawdown > this.config.maxDrawdownPct) {
      this.trip(portfolio, `drawdown ${pct(this.drawdown)} from the peak ${this.peak.toFixed(2)} exceeds ${pct(this.config.maxDrawdownPct)}`, values);
    } else if (this.dailyLoss > this.config.maxDailyLossPct) {
      this.trip(portfolio, `daily loss ${pct(this.dailyLoss)} since the open ${this.dayOpen.toFixed(2)} exceeds ${pct(this.config.maxDailyLossPct)}`, values);
    }
  }

  /** Counts bars (one per distinct bar time) for `afterBars` recovery. */
  onNewBarTime(time: number, portfolio: PortfolioSnapshot | undefined): void {
    if (!this.halted) return;
    this.barsSinceTrip++;
    const rule = this.config.recovery;
    if (typeof rule === 'object' && this.barsSinceTrip >= rule.afterBars && portfolio !== undefined) this.recover({ ...portfolio, time }, `${rule.afterBars} bars passed`);
  }

  private trip(portfolio: PortfolioSnapshot, reason: string, values: Record<string, number>): void {
    this.tripReason = reason;
    this.barsSinceTrip = 0;
    this.raise({ level: 'emergency', code: 'CIRCUIT_BREAKER_TRIPPED', message: `circuit breaker tripped: ${reason}; new entries are halted (reduce-only)`, values, time: portfolio.time });
  }

  private recover(portfolio: PortfolioSnapshot, why: string): void {
    this.tripReason = undefined;
    this.peak = portfolio.equity;
    this.raise({ level: 'info', code: 'CIRCUIT_BREAKER_RECOVERED', message: `circuit breaker reset: ${why}; new entries are allowed again`, values: { equity: portfolio.equity }, time: portfolio.time });
  }
}
