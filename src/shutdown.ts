import { Server as NetServer } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { DrainState } from './http/middleware/draining.js';
import type { KafkaProducer } from './kafka/producer.js';
import type { Logger } from './logging/logger.js';

export interface DrainDeps {
  server: Server;
  producer: Pick<KafkaProducer, 'close' | 'inFlight'>;
  drain: DrainState;
  responses: OpenResponses;
  log: Pick<Logger, 'info' | 'warn'>;
  timeoutMs: number;
  /** SHUTDOWN_ACCEPT_GRACE_MS: how long the listener stays open after the signal (counted in timeoutMs). */
  acceptGraceMs: number;
}

const CHECK_MS = 50;
/** After the last in-flight answer, idle keep-alive sockets are left this long before they are closed:
 * a client that reuses one meanwhile gets its answer with `Connection: close` instead of a reset. */
const IDLE_GRACE_MS = 1000;

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

/**
 * Order matters: turn not-ready and answer every new request 503 SHUTTING_DOWN (`Connection: close`,
 * `Retry-After`) while still accepting for `acceptGraceMs`, so connections already waiting in the
 * listen backlog get an answer instead of a reset when the listener closes (measured: 530 resets in
 * the fault suite without it) and load balancers see /ready turn 503; then refuse new connections,
 * answer every request already received (each with `Connection: close`, so no client reuses a socket
 * we close), close the sockets that stay idle, then flush and disconnect the producer. Idle sockets
 * are never destroyed while a request may be arriving on them: that (Node's closeIdleConnections
 * racing keep-alive clients) is what reset requests before.
 */
export async function drainAndClose({ server, producer, drain, responses, log, timeoutMs, acceptGraceMs }: DrainDeps): Promise<void> {
  drain.draining = true;
  responses.closeAfterAnswer();
  // One budget for the whole shutdown, so an orchestrator's grace period can be matched to it.
  const started = Date.now();
  const until = started + timeoutMs;
  log.info('shutting down: not ready, still accepting', { accept_grace_ms: acceptGraceMs, in_flight_requests: responses.size, in_flight_messages: producer.inFlight });
  if (acceptGraceMs > 0) await new Promise((r) => setTimeout(r, acceptGraceMs));
  const listenerClosedAt = Date.now();
  log.info('shutting down: listener closed, draining in-flight requests', { in_flight_requests: responses.size, in_flight_messages: producer.inFlight });
  // net.Server's close, not http.Server's: the latter also destroys idle keep-alive sockets at once.
  const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
  let quietSince: number | undefined;
  const check = setInterval(() => {
    const now = Date.now();
    if (responses.size > 0) quietSince = undefined;
    else quietSince ??= now;
    if (quietSince !== undefined && now - Math.max(quietSince, listenerClosedAt) >= IDLE_GRACE_MS) server.closeIdleConnections();
    if (now >= until) {
      log.warn('shutdown timeout: closing remaining connections');
      server.closeAllConnections();
    }
  }, CHECK_MS);
  await closed;
  clearInterval(check);
  // Every request is answered by now; what the producer still holds was never acknowledged to anyone.
  await producer.close(Math.max(1000, until - Date.now()));
  log.info('shutdown complete');
}

/** Exit codes an orchestrator sees. */
export const EXIT_OK = 0;
export const EXIT_SHUTDOWN_FAILED = 1;
/** The idempotent producer hit a fatal error: drained, exiting so the orchestrator restarts us. */
export const EXIT_KAFKA_FATAL = 3;

export interface LifecycleDeps {
  shutdown: () => Promise<void>;
  log: Pick<Logger, 'info' | 'error'>;
  exit: (code: number) => void;
}

/**
 * What ends the process. A signal: drain, exit 0. A fatal librdkafka error (e.g. the idempotent
 * producer lost its sequence): drain (requests in flight still get answers, new ones 503), then
 * exit non-zero so the orchestrator starts a fresh process. Rebuilding the producer in place was
 * rejected: its successor would be a new idempotent session anyway, every in-flight message would
 * need re-tracking, and a restart is visible to the operator while an in-place rebuild hides a fault.
 */
export function createLifecycle({ shutdown, log, exit }: LifecycleDeps) {
  let ending: Promise<void> | undefined;
  const end = (code: number): Promise<void> =>
    (ending ??= shutdown().then(
      () => exit(code),
      (err: unknown) => {
        log.error('shutdown failed', { err });
        exit(code === EXIT_OK ? EXIT_SHUTDOWN_FAILED : code);
      },
    ));
  return {
    onSignal(signal: string): Promise<void> {
      log.info('signal received', { signal });
      return end(EXIT_OK);
    },
    onFatal(err: unknown): Promise<void> {
      log.error('fatal Kafka producer error: draining, then exiting for a restart', { err, exit_code: EXIT_KAFKA_FATAL });
      return end(EXIT_KAFKA_FATAL);
    },
  };
}
