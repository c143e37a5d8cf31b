/** The latest `capacity` ids seen, oldest let go first: a de-duplication memory that does not grow with the session. */
export class RecentIds {
  private readonly ids = new Set<string>();
  private readonly order: string[] = [];
  private head = 0;

  constructor(private readonly capacity = 10_000) {}

  /** Whether `id` was seen; remembers it if not. */
  seen(id: string): boolean {
    if (this.ids.has(id)) return true;
    this.ids.add(id);
    this.order.push(id);
    if (this.order.length - this.head > this.capacity) this.ids.delete(this.order[this.head++]!);
    // Compact now and then, so the array does not keep what the set let go.
    if (this.head > this.capacity) this.order.splice(0, this.head), (this.head = 0);
    return false;
  }
}
