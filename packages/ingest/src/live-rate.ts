/** Accepted events per second over the last minute, per tenant, for the live status page. */
export class LiveRate {
  readonly #seconds = 60;
  readonly #buckets = new Map<string, { second: number; counts: Float64Array }>();

  record(tenantId: string, events: number, now = Date.now()): void {
    const second = Math.floor(now / 1000);
    let entry = this.#buckets.get(tenantId);
    if (!entry) {
      entry = { second, counts: new Float64Array(this.#seconds) };
      this.#buckets.set(tenantId, entry);
    }
    this.#advance(entry, second);
    entry.counts[second % this.#seconds]! += events;
  }

  /** Oldest first: `series[i]` is the count of the second `now - (59 - i)`. */
  series(tenantId: string, now = Date.now()): number[] {
    const second = Math.floor(now / 1000);
    const entry = this.#buckets.get(tenantId);
    if (!entry) return new Array<number>(this.#seconds).fill(0);
    this.#advance(entry, second);
    return Array.from({ length: this.#seconds }, (_, i) => entry.counts[(second - (this.#seconds - 1) + i) % this.#seconds]!);
  }

  #advance(entry: { second: number; counts: Float64Array }, second: number): void {
    if (second <= entry.second) return;
    const gap = Math.min(second - entry.second, this.#seconds);
    for (let i = 1; i <= gap; i++) entry.counts[(entry.second + i) % this.#seconds] = 0;
    entry.second = second;
  }
}
