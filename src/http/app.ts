import express, { type Express } from 'express';
import type { DialectSettings, Limits, NdjsonSettings } from '../config/config.js';
import { dialectRoutes } from './dialects/routes.js';
import { GatewayError } from '../errors/gateway-error.js';
import { directLines, type Logger } from '../logging/logger.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import type { ClusterIdSource } from '../kafka/cluster-id.js';
import { errorHandler } from './error-handler.js';
import { refuseWhileDraining, type DrainState } from './middleware/draining.js';
import { requestId } from './middleware/request-id.js';
import { bodyTimeout } from './middleware/body-timeout.js';
import { securityHeaders } from './middleware/security-headers.js';
import { accessLog } from './middleware/access-log.js';
import { httpMetrics } from './middleware/http-metrics.js';
import { trackRouteTemplates } from './middleware/route-template.js';
import { metricsRoutes } from './routes/metrics.js';
import { readyRoutes } from './routes/ready.js';
import type { MetricSet } from '../metrics/metrics.js';
import { infoRoutes } from './routes/info.js';
import { produceRoutes } from './routes/produce.js';
import type { ProduceStreamDeps } from './routes/produce-stream.js';
import { codeExecutionRoutes, type CodeExecutionRouteDeps } from './routes/code-execution.js';
import { schemaRoutes } from './routes/schemas.js';
import { liveRoutes } from './routes/live.js';
import type { SchemaRegistry } from '../schemas/registry.js';
import type { Access } from '../access/access.js';
import { jsonParser } from './middleware/json-body.js';
import { topicRoutes, type TopicRouteDeps } from './routes/topics.js';
import { docsRoutes } from './routes/docs.js';
import { openApiDocumentFor } from './openapi/app-document.js';
import { methodNotAllowed } from './middleware/method-not-allowed.js';
import type { IdempotencyStore } from '../idempotency/store.js';
import type { ItemOutcome } from '../pipeline/types.js';
import { submissionRoutes, type SubmissionRouteDeps } from './routes/submissions.js';
import { topicTailRoutes, type TopicTailRouteDeps } from './routes/topic-tail.js';
import { traceContext } from './middleware/trace-context.js';
import { propagationOnly, type Tracing } from '../tracing/tracing.js';

/** Everything the app's routers need; createApp hands each router only its own part (its *RouteDeps). */
export interface AppDeps {
  name: string;
  version: string;
  limits: Limits;
  pipeline: Pipeline;
  isKafkaConnected: () => boolean;
  drain: DrainState;
  log: Logger;
  /** Topic schemas (docs/schemas.md) and seed 000's code-execution API. */
  schemas: SchemaRegistry;
  codeExecution: CodeExecutionRouteDeps['codeExecution'];
  producerDescription: CodeExecutionRouteDeps['producerDescription'];
  /** Absent when METRICS_ENABLED=false: no /metrics, no HTTP metrics. */
  metrics?: Pick<MetricSet, 'registry' | 'http'> | undefined;
  /** METRICS_PORT is set: /metrics is served by its own listener (src/http/metrics-server.ts), not here. */
  metricsElsewhere?: boolean;
  accessLog?: boolean;
  /** Clients → gateway (src/access/): CORS, authentication, rate limits. Absent: all open. */
  access?: Pick<Access, 'cors' | 'middleware' | 'mode' | 'mayWrite' | 'summary'> & Partial<Pick<Access, 'jwksLoaded'>>;
  clusterMetadata?: TopicRouteDeps['clusterMetadata'];
  /** Idempotency-Key on /produce and /produce/batch (docs/reliability.md). */
  idempotency?: IdempotencyStore | undefined;
  countAsyncFailures?: ((outcomes: readonly ItemOutcome[]) => void) | undefined;
  /** Status lookup and SSE (docs/status.md); absent: no /submissions routes. */
  submissions?: SubmissionRouteDeps | undefined;
  /** Live topic tail (docs/status.md); absent: no /topics/{topic}/events. */
  topicTail?: Omit<TopicTailRouteDeps, 'limits'> | undefined;
  isStatusReady?: () => boolean;
  submissionStatus?: CodeExecutionRouteDeps['submissionStatus'];
  /** NDJSON streaming on /produce/batch. */
  ndjson: NdjsonSettings;
  /** Each client's share of the in-flight capacity (NDJSON streams wait for room in it). */
  share?: ProduceStreamDeps['share'];
  /** W3C trace context and, when on, spans (src/tracing/); absent: propagation only. */
  tracing?: Tracing | undefined;
  /** HTTP dialects (src/http/dialects/): absent, their routes are not mounted. */
  dialects?: DialectSettings | undefined;
  /** The Kafka cluster id (REST Proxy v3's cluster routes); absent, or unknown while it cannot be read: no cluster listed. */
  clusterId?: ClusterIdSource | undefined;
  /** Whether the schema registry answers (/ready, /health); absent: no registry value format. */
  schemaRegistryReachable?: (() => boolean | undefined) | undefined;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders());
  if (deps.access?.cors) app.use(deps.access.cors);
  app.use(requestId);
  const answerError = errorHandler(deps.log);
  app.use(bodyTimeout(deps.ndjson.requestTimeoutMs, (err, req, res) => answerError(err, req, res, () => {})));
  const tracing = deps.tracing ?? propagationOnly;
  app.use(traceContext(tracing));
  if (deps.metrics || deps.accessLog || tracing.enabled) trackRouteTemplates(app);
  if (deps.metrics) app.use(httpMetrics(deps.metrics.http));
  if (deps.accessLog) app.use(accessLog(directLines(deps.log)));
  app.use(refuseWhileDraining(deps.drain));
  const guard = deps.access?.middleware((verify) => jsonParser(deps.limits.bodyBytes, verify)) ?? [];
  if (guard.length > 0) app.use(...guard);
  // The hot path first: a produce request does not walk the info, ready and metrics routers.
  const { pipeline, limits, log, ndjson, drain } = deps;
  app.use(produceRoutes({ pipeline, limits, log, ndjson, drain, idempotency: deps.idempotency, countAsyncFailures: deps.countAsyncFailures, share: deps.share }));
  if (deps.dialects) {
    app.use(dialectRoutes({ pipeline, limits, ndjson, drain, idempotency: deps.idempotency, dialects: deps.dialects, clusterId: deps.clusterId, topicsGet: Boolean(deps.clusterMetadata) }));
  }
  const registry = deps.schemaRegistryReachable ? { schemaRegistryReachable: deps.schemaRegistryReachable } : {};
  app.use(infoRoutes({ name: deps.name, version: deps.version, isKafkaConnected: deps.isKafkaConnected, ...(deps.access ? { access: deps.access } : {}), ...registry }));
  app.use(
    readyRoutes({
      isKafkaConnected: deps.isKafkaConnected,
      ...(deps.isStatusReady ? { isStatusReady: deps.isStatusReady } : {}),
      ...registry,
      jwksLoaded: () => deps.access?.jwksLoaded?.(),
    }),
  );
  if (deps.metrics && !deps.metricsElsewhere) app.use(metricsRoutes(deps.metrics.registry));
  app.use(schemaRoutes({ schemas: deps.schemas }));
  app.use(
    codeExecutionRoutes({
      pipeline,
      limits,
      log,
      schemas: deps.schemas,
      codeExecution: deps.codeExecution,
      producerDescription: deps.producerDescription,
      isKafkaConnected: deps.isKafkaConnected,
      submissionStatus: deps.submissionStatus,
    }),
  );
  if (deps.clusterMetadata) {
    const access = deps.access;
    app.use(topicRoutes({ clusterMetadata: deps.clusterMetadata, mayWrite: (client, topic) => access?.mayWrite(client, topic) ?? true }));
  }
  if (deps.submissions) app.use(submissionRoutes(deps.submissions));
  if (deps.topicTail) app.use(topicTailRoutes({ ...deps.topicTail, limits: deps.limits }));
  app.use(docsRoutes(openApiDocumentFor(deps)));
  app.use(liveRoutes());
  // Last of the routes: it answers 405 for a known path called with another method.
  app.use(methodNotAllowed(app));
  app.use((req) => {
    throw new GatewayError('NOT_FOUND', `no route for ${req.method} ${req.path}`);
  });
  app.use(errorHandler(deps.log));
  return app;
}
