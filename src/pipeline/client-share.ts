/**
 * Each client's share of the in-flight capacity (MAX_IN_FLIGHT_PER_CLIENT): messages handed to Kafka
 * and not yet settled, counted per authenticated client, so one client's load (16 streams, a flood
 * of batches) cannot take all of MAX_IN_FLIGHT and make every other client's requests fail with
 * 503 OVERLOADED. Requests past their share are refused with OVERLOADED like the global limit;
 * NDJSON streams wait for room instead (free() and waitForRoom()), so their lines are slowed, not failed.
 * Without authentication there are no clients to tell apart, and nothing is counted here.
 */
export class ClientShare {
  private readonly used = new Map<string, number>();
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(readonly limit: number) {}

  /** Items this client may still hand over now. */
  free(client: string): number {
    return this.limit - (this.used.get(client) ?? 0);
  }

  /** Takes one slot; false when the client's share is full. */
  take(client: string): boolean {
    const n = this.used.get(client) ?? 0;
    if (n >= this.limit) return false;
    this.used.set(client, n + 1);
    return true;
  }

  release(client: string): void {
    const n = (this.used.get(client) ?? 1) - 1;
    if (n > 0) this.used.set(client, n);
    else this.used.delete(client);
    const waiting = this.waiters.get(client);
    if (waiting) {
      this.waiters.delete(client);
      for (const wake of waiting) wake();
    }
  }

  /** Resolves at the next release of this client's slots (or at once when it has room). */
  waitForRoom(client: string): Promise<void> {
    if (this.free(client) > 0) return Promise.resolve();
    return new Promise((resolve) => {
      let set = this.waiters.get(client);
      if (!set) this.waiters.set(client, (set = new Set()));
      set.add(resolve);
    });
  }
}
