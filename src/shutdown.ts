import type { Server } from 'node:http';
import type { DrainState } from './http/middleware/draining.js';
import type { KafkaProducer } from './kafka/producer.js';
import type { Logger } from './logging/logger.js';

export interface DrainDeps {
  server: Server;
  producer: Pick<KafkaProducer, 'close' | 'inFlight'>;
  drain: DrainState;
  log: Logger;
  timeoutMs: number;
}

const IDLE_SWEEP_MS = 50;

/**
 * Order matters: refuse new work, let every in-flight request get its answer (their messages
 * are awaited, so a 2xx already means "acknowledged"), then flush and disconnect the producer.
 */
export async function drainAndClose({ server, producer, drain, log, timeoutMs }: DrainDeps): Promise<void> {
  drain.draining = true;
  // One budget for the whole shutdown, so an orchestrator's grace period can be matched to it.
  const until = Date.now() + timeoutMs;
  log.info('shutting down: draining in-flight requests', { in_flight_messages: producer.inFlight });
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive connections go idle once their response is sent; close them as they do.
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  server.closeIdleConnections();
  const forceClose = setTimeout(() => {
    log.warn('shutdown timeout: closing remaining connections');
    server.closeAllConnections();
  }, timeoutMs);
  await closed;
  clearInterval(sweep);
  clearTimeout(forceClose);
  // Every request is answered by now; what the producer still holds was never acknowledged to anyone.
  await producer.close(Math.max(1000, until - Date.now()));
  log.info('shutdown complete');
}
