import { Router } from 'express';
import { schemaRegistryField } from './ready.js';

export interface InfoDeps {
  name: string;
  version: string;
  isKafkaConnected: () => boolean;
  /** Whether clients need a key (src/access/); absent = off. */
  access?: { mode: 'api-keys' | 'jwt' | 'api-keys+jwt' | 'off' };
  schemaRegistryReachable?: (() => boolean | undefined) | undefined;
}

/** GET / and GET /health (liveness, seed 002 shape, plus the runtime). */
export function infoRoutes(deps: InfoDeps): Router {
  const router = Router();
  const runtime = { node: process.version };

  router.get('/', (_req, res) => {
    res.json({
      message: 'Kafka Producer API Server',
      name: deps.name,
      version: deps.version,
      runtime,
      authentication: deps.access?.mode ?? 'off',
      endpoints: {
        health: '/health',
        ready: '/ready',
        produce: '/produce',
        produce_batch: '/produce/batch',
        schemas: '/schemas',
        submit_code: '/submit-code',
        supported_languages: '/supported-languages',
        kafka_status: '/kafka-status',
        topics: '/topics',
        docs: '/docs',
        openapi: '/openapi.json',
        submission: '/submissions/{request_id}',
        submission_events: '/submissions/{request_id}/events',
        websocket: '/ws?request_id={request_id}',
        topic_tail: '/topics/{topic}/events',
      },
    });
  });

  router.get('/health', (_req, res) => {
    const connected = deps.isKafkaConnected();
    res.status(connected ? 200 : 503).json({
      status: connected ? 'healthy' : 'unhealthy',
      timestamp: new Date().toISOString(),
      kafka_connected: connected,
      version: deps.version,
      runtime,
      ...schemaRegistryField(deps.schemaRegistryReachable),
    });
  });
  return router;
}
