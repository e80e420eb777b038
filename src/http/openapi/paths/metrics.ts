import type { PathsObject } from 'openapi3-ts/oas31';
import { operation } from '../responses.js';
import type { DocumentContext } from '../context.js';

/** src/http/routes/metrics.ts; absent when METRICS_ENABLED=false. */
export function metricsPaths(ctx: DocumentContext): PathsObject {
  if (!ctx.metrics) return {};
  return {
    '/metrics': {
      get: operation({
        tags: ['info'],
        operationId: 'getMetrics',
        summary: 'Prometheus metrics (text exposition format); see docs/observability.md',
        responses: {
          200: {
            description: 'The metrics.',
            headers: { 'X-Request-Id': { $ref: '#/components/headers/XRequestId' } },
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      }),
    },
  };
}
