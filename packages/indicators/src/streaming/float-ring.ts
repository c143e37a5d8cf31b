/** Fixed-size window of numbers. `push` returns the value that fell out (NaN while the window is filling). */
export class FloatRing {
  private readonly values: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(readonly capacity: number) {
    this.values = new Float64Array(capacity);
  }

  get size(): number {
    return this.filled;
  }

  get full(): boolean {
    return this.filled === this.capacity;
  }

  push(value: number): number {
    const out = this.filled === this.capacity ? this.values[this.next]! : Number.NaN;
    this.values[this.next] = value;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    if (this.filled < this.capacity) this.filled++;
    return out;
  }

  /** The i-th value, oldest first (0 ≤ i < size). */
  at(i: number): number {
    const start = this.filled === this.capacity ? this.next : 0;
    const j = start + i;
    return this.values[j >= this.capacity ? j - this.capacity : j]!;
  }

  clear(): void {
    this.next = 0;
    this.filled = 0;
  }
}
