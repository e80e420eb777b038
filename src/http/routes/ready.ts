import { Router } from 'express';

export interface ReadyDeps {
  /** True while librdkafka's recent statistics show a broker UP (src/kafka/broker-state.ts). */
  isKafkaConnected: () => boolean;
}

/**
 * GET /ready: readiness for load balancers and orchestrators. 200 only while the producer has a
 * live broker connection with current metadata; 503 otherwise. While the gateway drains, the
 * draining middleware answers every request, this one included, with 503 SHUTTING_DOWN.
 * Reads two in-memory values, so it is cheap to poll every second.
 */
export function readyRoutes(deps: ReadyDeps): Router {
  const router = Router();
  router.get('/ready', (_req, res) => {
    const ready = deps.isKafkaConnected();
    res.status(ready ? 200 : 503).json({ ready, kafka_connected: ready });
  });
  return router;
}
