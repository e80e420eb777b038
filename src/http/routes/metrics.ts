import { Router } from 'express';
import type { Registry } from 'prom-client';

/** GET /metrics: the Prometheus text format of the gateway's own registry. */
export function metricsRoutes(registry: Registry): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const body = await registry.metrics();
    res.setHeader('Content-Type', registry.contentType);
    res.send(body);
  });
  return router;
}
