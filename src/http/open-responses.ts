import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Responses not yet finished, so that at SIGTERM each of them can still say `Connection: close`
 * (the client then never sends another request on a socket we are about to close).
 *
 * Kept in an array of slots with a free list, not a Set: a Set with this churn (one add and one
 * delete per request) is rehashed every few dozen requests, and V8 leaves each retired table
 * pointing at its successor and still holding the responses it had. Once one table had been
 * promoted to the old generation, every later table and the whole request graph of every response
 * in it survived young collections through that dead table: 1 MB promoted per scavenge, peak RSS
 * 220–250 MiB instead of ~140, 10 µs more GC CPU per request (measured with --trace-gc-nvp,
 * docs/benchmarks.md). Slots are reused and cleared, and the array only grows.
 */
export class OpenResponses {
  private readonly slots: Array<ServerResponse | undefined> = [];
  private readonly freeSlots: number[] = [];
  private count = 0;
  private draining = false;

  /** Listens first on the server's 'request' event; one shared handler, no closure per request. */
  attach(server: Server): void {
    server.prependListener('request', this.onRequest);
  }

  get size(): number {
    return this.count;
  }

  /** From now on, every answer closes its connection after it is sent. */
  closeAfterAnswer(): void {
    this.draining = true;
    for (const res of this.slots) if (res && !res.headersSent) res.setHeader('Connection', 'close');
  }

  release(slot: number): void {
    this.slots[slot] = undefined;
    this.freeSlots.push(slot);
    this.count--;
  }

  private readonly onRequest = (_req: IncomingMessage, res: ServerResponse): void => {
    if (this.draining) res.setHeader('Connection', 'close');
    const slot = this.freeSlots.pop() ?? this.slots.length;
    this.slots[slot] = res;
    this.count++;
    const tracked = res as Tracked;
    tracked[owner] = this;
    tracked[slotOf] = slot;
    res.on('close', forget);
  };
}

const owner = Symbol('open responses');
const slotOf = Symbol('open responses slot');
type Tracked = ServerResponse & { [owner]?: OpenResponses | undefined; [slotOf]?: number };

// 'close' listeners are called with the response as `this`: one function for every response.
function forget(this: Tracked): void {
  const responses = this[owner];
  if (responses === undefined) return;
  this[owner] = undefined;
  responses.release(this[slotOf]!);
}
