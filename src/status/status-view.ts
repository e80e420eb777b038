import type { StatusEvent } from './status-event.js';

/** Where an event sits in the status topic; the view uses it to drop duplicates and stale events. */
export interface EventPosition {
  partition: number;
  offset: number;
  /** The record's timestamp (ms since the epoch); age for retention counts from it. Now when absent. */
  timestampMs?: number;
  /** True while the view is being rebuilt from the topic at start-up: history, not news. */
  replay?: boolean;
}

/** What every listener learns with an applied event. */
export interface AppliedInfo {
  partition: number;
  offset: number;
  replay: boolean;
}

export type StatusListener = (event: StatusEvent, info: AppliedInfo) => void;

/** What a lookup answers: the latest status of one request id and its history, oldest first. */
export interface StatusSnapshot {
  request_id: string;
  latest: StatusEvent;
  history: readonly StatusEvent[];
}

export interface StatusViewOptions {
  /** Most request ids kept; the least recently updated goes first (STATUS_MAX_ENTRIES). */
  maxEntries: number;
  /** A request id not updated for this long is forgotten (STATUS_RETENTION_S). */
  retentionMs: number;
  /** Events kept per request id; the oldest are dropped, the latest always stays (STATUS_HISTORY_MAX). */
  maxHistory: number;
  now?: () => number;
  /** A listener that throws must not stop the others nor the consumer feeding the view. */
  onListenerError?: (err: unknown) => void;
}

interface Placed {
  event: StatusEvent;
  partition: number;
  offset: number;
}

interface Entry {
  history: Placed[];
  /** Age base for retention: the newest event's record time. */
  timeMs: number;
}

/**
 * The per-replica, in-memory view of the status topic: events in (apply), the latest status and
 * history out (get), subscribers told of every change. No HTTP and no Kafka here.
 *
 * Bounded twice: by entries (a Map kept in order of last update, so the least recently updated
 * id is evicted first) and by age (an id whose newest event is older than the retention is
 * forgotten; the sweep walks from the oldest end and stops at the first live entry).
 */
export class StatusView {
  private readonly entries = new Map<string, Entry>();
  private readonly subscribers = new Map<string, Set<StatusListener>>();
  private readonly now: () => number;

  constructor(private readonly options: StatusViewOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Takes one event read from (or just written to) the status topic. Returns true when it was
   * news: a duplicate of an event already applied at the same position, or an event older than
   * the latest one (same partition, lower offset), is kept out of the latest status and not
   * announced. Keys map to one partition, so a partition's offsets order a request id's events.
   */
  apply(event: StatusEvent, position: EventPosition): boolean {
    const now = this.now();
    const timeMs = position.timestampMs ?? now;
    if (now - timeMs > this.options.retentionMs) return false;
    this.sweep(now);
    const id = event.request_id;
    const placed: Placed = { event: Object.freeze({ ...event }), partition: position.partition, offset: position.offset };
    let entry = this.entries.get(id);
    if (entry) {
      const latest = entry.history[entry.history.length - 1]!;
      if (entry.history.some((p) => p.partition === placed.partition && p.offset === placed.offset)) return false;
      if (latest.partition === placed.partition && placed.offset < latest.offset) {
        insertInOrder(entry.history, placed);
        this.trim(entry);
        return false;
      }
      entry.history.push(placed);
      entry.timeMs = Math.max(entry.timeMs, timeMs);
      this.trim(entry);
      // Re-insert: Map order is the order of last update, which eviction relies on.
      this.entries.delete(id);
      this.entries.set(id, entry);
    } else {
      entry = { history: [placed], timeMs };
      this.entries.set(id, entry);
      if (this.entries.size > this.options.maxEntries) {
        const oldest = this.entries.keys().next().value!;
        this.entries.delete(oldest);
      }
    }
    const info: AppliedInfo = { partition: placed.partition, offset: placed.offset, replay: position.replay === true };
    this.notify(this.subscribers.get(id), placed.event, info);
    return true;
  }

  get(requestId: string): StatusSnapshot | undefined {
    const entry = this.entries.get(requestId);
    if (!entry) return undefined;
    if (this.expired(entry, this.now())) {
      this.entries.delete(requestId);
      return undefined;
    }
    const history = entry.history.map((p) => p.event);
    return { request_id: requestId, latest: history[history.length - 1]!, history };
  }

  /** Calls `listener` with every later event of this request id; returns the unsubscribe function. */
  subscribe(requestId: string, listener: StatusListener): () => void {
    let set = this.subscribers.get(requestId);
    if (!set) this.subscribers.set(requestId, (set = new Set()));
    set.add(listener);
    return () => {
      const current = this.subscribers.get(requestId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.subscribers.delete(requestId);
    };
  }

  /** Forgets expired request ids, oldest-updated first; cheap to call often (stops at the first live one). */
  sweep(now = this.now()): void {
    for (const [id, entry] of this.entries) {
      if (!this.expired(entry, now)) break;
      this.entries.delete(id);
    }
  }

  private expired(entry: Entry, now: number): boolean {
    return now - entry.timeMs > this.options.retentionMs;
  }

  private trim(entry: Entry): void {
    const excess = entry.history.length - this.options.maxHistory;
    if (excess > 0) entry.history.splice(0, excess);
  }

  private notify(listeners: Set<StatusListener> | undefined, event: StatusEvent, info: AppliedInfo): void {
    if (!listeners) return;
    // A copy: a listener may unsubscribe (e.g. on a terminal status) while we iterate.
    for (const listener of [...listeners]) {
      try {
        listener(event, info);
      } catch (err) {
        this.options.onListenerError?.(err);
      }
    }
  }
}

function insertInOrder(history: Placed[], placed: Placed): void {
  let i = history.length;
  while (i > 0 && history[i - 1]!.partition === placed.partition && history[i - 1]!.offset > placed.offset) i--;
  history.splice(i, 0, placed);
}
