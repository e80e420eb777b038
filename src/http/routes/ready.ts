import { Router } from 'express';

export interface ReadyDeps {
  /** True while librdkafka's recent statistics show a broker UP (src/kafka/broker-state.ts). */
  isKafkaConnected: () => boolean;
  /** False until the status view has been rebuilt from the status topic (docs/status.md). Absent: not waited for. */
  isStatusReady?: () => boolean;
  /** With JWT authentication on: whether the identity provider's keys are loaded; undefined when off. */
  jwksLoaded?: () => boolean | undefined;
}

/**
 * GET /ready: readiness for load balancers and orchestrators. 200 only while the producer has a
 * live broker connection with current metadata and the status view is rebuilt; 503 otherwise. While the gateway drains, the
 * draining middleware answers every request, this one included, with 503 SHUTTING_DOWN.
 * Reads two in-memory values, so it is cheap to poll every second.
 */
export function readyRoutes(deps: ReadyDeps): Router {
  const router = Router();
  router.get('/ready', (_req, res) => {
    const kafka = deps.isKafkaConnected();
    const statusView = deps.isStatusReady?.() ?? true;
    const ready = kafka && statusView;
    // Informational, not part of the verdict: API keys and cached keys keep working while the identity
    // provider is down, and taking every replica out of the balancer would not bring it back.
    const jwks = deps.jwksLoaded?.();
    res.status(ready ? 200 : 503).json({ ready, kafka_connected: kafka, status_view_ready: statusView, ...(jwks === undefined ? {} : { jwks_loaded: jwks }) });
  });
  return router;
}
