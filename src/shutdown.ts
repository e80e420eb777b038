import { Server as NetServer } from 'node:net';
import type { Server } from 'node:http';
import type { DrainState } from './http/middleware/draining.js';
import type { OpenResponses } from './http/open-responses.js';
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
