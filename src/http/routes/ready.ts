import { Router } from 'express';

export interface ReadyDeps {
  /** True while librdkafka's recent statistics show a broker UP (src/kafka/broker-state.ts). */
  isKafkaConnected: () => boolean;
  /** False until the status view has been rebuilt from the status topic (docs/status.md). Absent: not waited for. */
  isStatusReady?: () => boolean;
  /** With JWT authentication on: whether the identity provider's keys are loaded; undefined when off. */
  jwksLoaded?: () => boolean | undefined;
  /** Whether the schema registry answered its last call (docs/schemas.md); absent: no registry. */
  schemaRegistryReachable?: (() => boolean | undefined) | undefined;
}

/** The registry's state as /ready and /health show it. */
export function schemaRegistryField(reachable: (() => boolean | undefined) | undefined): { schema_registry?: 'up' | 'down' | 'unknown' } {
  if (reachable === undefined) return {};
  const up = reachable();
  return { schema_registry: up === undefined ? 'unknown' : up ? 'up' : 'down' };
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
    // Shown, not required: cached subjects (the registry) and cached keys or API keys (the identity provider)
    // keep working without them, and taking every replica out of the balancer would not bring either back.
    const jwks = deps.jwksLoaded?.();
    res.status(ready ? 200 : 503).json({
      ready,
      kafka_connected: kafka,
      status_view_ready: statusView,
      ...schemaRegistryField(deps.schemaRegistryReachable),
      ...(jwks === undefined ? {} : { jwks_loaded: jwks }),
    });
  });
  return router;
}
