import type { IdempotencySettings } from '../config/config.js';

/** An answer as it was sent: replayed byte for byte. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type Entry =
  | { state: 'running'; fingerprint: string; bytes: number; done: Promise<void>; release: () => void }
  /** 'unknown': the answer was a 504 (or held 504 items); replaced by the final one when the reports come. */
  | { state: 'stored' | 'unknown'; fingerprint: string; bytes: number; answer: StoredAnswer; expiresAt: number };

export type Begin =
  | { kind: 'run'; ticket: Ticket }
  | { kind: 'replay'; answer: StoredAnswer }
  | { kind: 'wait'; until: Promise<void> }
  | { kind: 'mismatch' }
  | { kind: 'full' };

/** The right to run a request under a key, and to record its answer. */
export interface Ticket {
  readonly id: string;
  readonly fingerprint: string;
}

/** Bytes an entry costs beyond its answer body: key, fingerprint, headers, bookkeeping. */
const ENTRY_OVERHEAD_BYTES = 256;
/** At most this many in-flight entries are stepped over per eviction, so begin() stays cheap. */
const MAX_SKIPS = 64;

/**
 * Answers by idempotency key, HTTP-agnostic. A key is first 'running' (later requests with it wait),
 * then 'stored' (replayed until the window ends) or 'unknown' (bound to messages whose outcome is
 * not known yet). A refusal is never stored (abandon): a retry after it runs again.
 * Memory is bounded by entries and bytes: the oldest finished answers are evicted first (a Map
 * keeps insertion order, and every finished entry is re-inserted, so its head is the oldest).
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly settings: IdempotencySettings) {}

  get size(): number {
    return this.entries.size;
  }

  get usedBytes(): number {
    return this.bytes;
  }

  /** `id` already holds the client scope and the key; `fingerprint` identifies the request (route + body). */
  begin(id: string, fingerprint: string, now = Date.now()): Begin {
    const entry = this.entries.get(id);
    if (entry && entry.state !== 'running' && entry.expiresAt <= now) this.remove(id, entry);
    else if (entry) {
      if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (entry.state === 'running') return { kind: 'wait', until: entry.done };
      return { kind: 'replay', answer: entry.answer };
    }
    const bytes = ENTRY_OVERHEAD_BYTES + id.length;
    if (!this.makeRoom(bytes, now)) return { kind: 'full' };
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    this.put(id, { state: 'running', fingerprint, bytes, done, release });
    return { kind: 'run', ticket: { id, fingerprint } };
  }

  /** A final answer (2xx, or a 4xx about the request): replayed for the window. */
  finish(ticket: Ticket, answer: StoredAnswer, now = Date.now()): void {
    this.record(ticket, 'stored', answer, now);
  }

  /**
   * An answer whose messages' outcome is unknown: replayed as it is until `eventual` gives the
   * final answer, which then replaces it. Either way the key stays bound: no second write.
   */
  bindUnknown(ticket: Ticket, answer: StoredAnswer, eventual: Promise<StoredAnswer>, now = Date.now()): void {
    this.record(ticket, 'unknown', answer, now);
    eventual.then(
      (final) => {
        const entry = this.entries.get(ticket.id);
        if (entry?.state === 'unknown' && entry.answer === answer) this.record(ticket, 'stored', final, Date.now());
      },
      () => {}, // keep the unknown answer: still no second write
    );
  }

  /** Not a final answer (a refusal: nothing written): forget the key; a waiting retry runs itself. */
  abandon(ticket: Ticket): void {
    const entry = this.entries.get(ticket.id);
    if (entry?.state !== 'running' || entry.fingerprint !== ticket.fingerprint) return;
    this.remove(ticket.id, entry);
    entry.release();
  }

  private record(ticket: Ticket, state: 'stored' | 'unknown', answer: StoredAnswer, now: number): void {
    const previous = this.entries.get(ticket.id);
    if (!previous || previous.fingerprint !== ticket.fingerprint) return; // evicted meanwhile
    this.remove(ticket.id, previous);
    const bytes = ENTRY_OVERHEAD_BYTES + ticket.id.length + answer.body.length;
    this.makeRoom(bytes, now);
    // Re-inserted at the tail: the map's head stays the oldest finished answer.
    this.put(ticket.id, { state, fingerprint: ticket.fingerprint, bytes, answer, expiresAt: now + this.settings.windowMs });
    if (previous.state === 'running') previous.release();
  }

  private put(id: string, entry: Entry): void {
    this.entries.set(id, entry);
    this.bytes += entry.bytes;
  }

  private remove(id: string, entry: Entry): void {
    this.entries.delete(id);
    this.bytes -= entry.bytes;
  }

  /** Drops expired answers from the head, then the oldest answers while over a bound. */
  private makeRoom(bytes: number, now: number): boolean {
    const over = () => this.entries.size + 1 > this.settings.maxEntries || this.bytes + bytes > this.settings.maxBytes;
    let skips = 0;
    for (const [id, entry] of this.entries) {
      if (entry.state === 'running') {
        if (++skips > MAX_SKIPS) break;
        continue;
      }
      if (entry.expiresAt > now && !over()) break;
      this.remove(id, entry);
    }
    return !over();
  }
}
