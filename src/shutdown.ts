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
  log.info('shutting down: draining in-flight requests', { in_flight_messages: producer.inFlight });
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive connections go idle once their response is sent; close them as they do.
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  server.closeIdleConnections();
  const deadline = setTimeout(() => {
    log.warn('shutdown timeout: closing remaining connections');
    server.closeAllConnections();
  }, timeoutMs);
  await closed;
  clearInterval(sweep);
  clearTimeout(deadline);
  await producer.close(timeoutMs);
  log.info('shutdown complete');
}
