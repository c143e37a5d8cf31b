/** How the journal keeps equity curves: every time step, or thinned (the default). */
export type EquityDetail = 'thinned' | 'every-bar';

/** One curve's open bucket: its low, high and last point as plain numbers (no object per bar); NaN times when empty. */
interface Curve {
  bucket: number;
  minTime: number;
  min: number;
  maxTime: number;
  max: number;
  lastTime: number;
  last: number;
  /** Times already written in the open bucket (its first point, the points after fills): not written twice. */
  readonly written: Set<number>;
  /** The fills of unknown strategies this curve has taken in. */
  unknownSeen: number;
}

/**
 * Thins equity curves as they are journaled: of each bucket of time (a day by default) a curve keeps its lowest,
 * highest and last point, and after every fill of the strategy (and of any strategy, for the account) the point
 * of the time step it filled in. The trader's view survives (each trade's effect on equity, each day's range and
 * close) at a few rows a day instead of one per bar per curve; the run's figures (drawdown, Sharpe) come from
 * every bar, in the engine. Points are written as soon as they are known, so a day's low may follow the trades
 * after it: readers order by time.
 */
export class EquityThinner {
  private readonly curves = new Map<string, Curve>();
  /** Curves whose next point follows a fill. */
  private readonly changed = new Set<string>();
  /** Fills whose strategy is not known: every curve's next point follows one. */
  private unknownFills = 0;

  constructor(
    private readonly bucketMs: number,
    private readonly write: (time: number, strategyId: string, equity: number) => void,
  ) {}

  /** A fill changed the book of `strategyId` (and so the account's); undefined when whose is not known. */
  bookChanged(strategyId: string | undefined): void {
    if (strategyId === undefined) this.unknownFills++;
    else this.changed.add(strategyId);
    this.changed.add('');
  }

  add(time: number, strategyId: string, equity: number): void {
    const bucket = Math.floor(time / this.bucketMs);
    let curve = this.curves.get(strategyId);
    if (curve === undefined) {
      // A curve's first point is always kept: where it starts.
      this.curves.set(strategyId, { bucket, minTime: Number.NaN, min: 0, maxTime: Number.NaN, max: 0, lastTime: Number.NaN, last: 0, written: new Set([time]), unknownSeen: this.unknownFills });
      this.write(time, strategyId, equity);
      return;
    }
    if (bucket !== curve.bucket) {
      this.emit(strategyId, curve);
      curve.bucket = bucket;
    }
    if (curve.unknownSeen !== this.unknownFills || this.changed.has(strategyId)) {
      this.changed.delete(strategyId);
      curve.unknownSeen = this.unknownFills;
      curve.written.add(time);
      this.write(time, strategyId, equity);
    }
    if (Number.isNaN(curve.minTime) || equity < curve.min) {
      curve.minTime = time;
      curve.min = equity;
    }
    if (Number.isNaN(curve.maxTime) || equity > curve.max) {
      curve.maxTime = time;
      curve.max = equity;
    }
    curve.lastTime = time;
    curve.last = equity;
  }

  /** Writes what every curve holds back: at the end of a run and before a checkpoint. */
  flush(): void {
    for (const [strategyId, curve] of this.curves) this.emit(strategyId, curve);
  }

  /** The open bucket's low, high and last point, each once, and a fresh bucket. */
  private emit(strategyId: string, curve: Curve): void {
    this.emitPoint(strategyId, curve, curve.minTime, curve.min);
    this.emitPoint(strategyId, curve, curve.maxTime, curve.max);
    this.emitPoint(strategyId, curve, curve.lastTime, curve.last);
    curve.minTime = curve.maxTime = curve.lastTime = Number.NaN;
    curve.written.clear();
  }

  private emitPoint(strategyId: string, curve: Curve, time: number, equity: number): void {
    if (Number.isNaN(time) || curve.written.has(time)) return;
    curve.written.add(time);
    this.write(time, strategyId, equity);
  }
}
