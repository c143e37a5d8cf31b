import type { EventBus } from '@trading-orchestrator/core-manager';

const clock = (t: number) => new Date(t).toISOString().slice(11, 16);
const money = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');

/**
 * What a paper session is doing, once it is live: bars traded, the last bar, open positions, equity and the last
 * signal. On a terminal one line redrawn at most four times a second; elsewhere (a log file, a service) a plain line
 * for every closed bar. Warm-up bars are not counted.
 */
export class PaperStatus {
  private live = false;
  private bars = 0;
  private equity = Number.NaN;
  private lastBar = '';
  private lastSignal = '';
  /** Net quantity per symbol and strategy: a position event carries one strategy's. */
  private readonly held = new Map<string, number>();
  private lastDraw = 0;

  constructor(
    private readonly out: { write(text: string): unknown },
    private readonly tty: boolean,
  ) {}

  attach(bus: EventBus): () => void {
    const off = [
      bus.subscribe('bar', (bar) => {
        if (!this.live) return;
        this.bars++;
        this.lastBar = `${bar.symbol} ${clock(bar.time)} close ${bar.close}`;
        this.draw(true);
      }),
      bus.subscribe('signal', (e) => {
        if (this.live) this.lastSignal = `${clock(e.signal.time ?? 0)} ${e.strategyId} ${e.signal.side} ${e.signal.symbol}`;
      }),
      bus.subscribe('equity', (e) => {
        if (e.strategyId === undefined) this.equity = e.equity;
      }),
      bus.subscribe('position', (p) => {
        const key = `${p.symbol}\u0000${p.strategyId ?? ''}`;
        if (p.quantity === 0) this.held.delete(key);
        else this.held.set(key, p.quantity);
      }),
    ];
    return () => {
      for (const o of off) o();
    };
  }

  /** Warm-up is over: from now on bars count. */
  goLive(): void {
    this.live = true;
  }

  /** Clears the redrawn line, so what follows starts on a clean one. */
  done(): void {
    if (this.tty && this.live) this.out.write('\r\u001b[2K');
  }

  line(): string {
    const bySymbol = new Map<string, number>();
    for (const [key, quantity] of this.held) {
      const symbol = key.slice(0, key.indexOf('\u0000'));
      bySymbol.set(symbol, (bySymbol.get(symbol) ?? 0) + quantity);
    }
    const positions = [...bySymbol].filter(([, q]) => q !== 0).map(([s, q]) => `${s} ${Number(q.toPrecision(8))}`);
    return `live: ${this.bars} bar${this.bars === 1 ? '' : 's'} | last ${this.lastBar || '-'} | positions ${positions.join(', ') || 'none'} | equity ${money(this.equity)} | last signal ${this.lastSignal || 'none'}`;
  }

  private draw(closedBar: boolean): void {
    if (!this.tty) {
      if (closedBar) this.out.write(`${this.line()}\n`);
      return;
    }
    const now = performance.now();
    if (now - this.lastDraw < 250) return;
    this.lastDraw = now;
    this.out.write(`\r\u001b[2K${this.line()}`);
  }
}
