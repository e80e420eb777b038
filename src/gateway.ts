import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/config.js';
import { createAccess } from './access/access.js';
import { createApp } from './http/app.js';
import { answerClientErrors } from './http/client-error.js';
import { startMetricsServer } from './http/metrics-server.js';
import type { DrainState } from './http/middleware/draining.js';
import { ensureOAuthBearer, stopOAuthBearer } from './kafka/oauthbearer.js';
import { startClusterIdReader } from './kafka/cluster-id.js';
import { KafkaProducer } from './kafka/producer.js';
import type { Logger } from './logging/logger.js';
import { createGatewayMetrics } from './metrics/gateway-metrics.js';
import { serdesMetrics } from './metrics/serdes-metrics.js';
import { startSerdes } from './serdes/start-serdes.js';
import { createDeadLetter } from './pipeline/dead-letter.js';
import { ClientShare } from './pipeline/client-share.js';
import { createPipeline, type Validate } from './pipeline/pipeline.js';
import { createSchemaValidate } from './pipeline/validate.js';
import { loadSchemaRegistry } from './schemas/registry.js';
import { readPackageInfo } from './package-info.js';
import { OpenResponses } from './http/open-responses.js';
import { drainAndClose } from './shutdown.js';
import { IdempotencyStore } from './idempotency/store.js';
import { startStatus } from './status/start-status.js';
import { statusStreams } from './http/status-streams.js';
import { TailConsumer } from './kafka/tail-consumer.js';
import { describeProducerConfig } from './kafka/producer-config.js';
import type { StatusView } from './status/status-view.js';
import { startWebhooks, type RunningWebhooks } from './webhooks/start-webhooks.js';
import { createTracing } from './tracing/tracing.js';

const pkg = readPackageInfo();

export interface RunningGateway {
  server: Server;
  producer: KafkaProducer;
  /** Present when WEBHOOK_URL is set (docs/webhooks.md). */
  webhooks?: RunningWebhooks | undefined;
  /** http://host:port the gateway listens on. */
  url: string;
  /** http://host:port of /metrics when METRICS_PORT is set (docs/security.md). */
  metricsUrl?: string | undefined;
  /** Re-read AUTH_KEYS_FILE (SIGHUP); a broken file keeps the old keys. false when nothing was reloaded. */
  reloadKeys(): boolean;
  /** This replica's view of the status topic (docs/status.md); subscribe() to follow a submission. */
  statusView: StatusView;
  /** How long rebuilding the status view from the topic took at start-up. */
  statusRebuildMs: number;
  /** Stop accepting, answer in-flight requests, flush the producer, disconnect. */
  shutdown(): Promise<void>;
}

/** Composition root: builds every part once, wires them (status and webhooks each through its room's entry point), listens. */
export async function startGateway(config: Readonly<Config>, log: Logger): Promise<RunningGateway> {
  const metrics = createGatewayMetrics(config.metrics, pkg.version);
  // Propagation only unless OTEL_* turns spans on (docs/observability.md "Tracing").
  const tracing = await createTracing(config.tracing, { version: pkg.version, log });
  // Schemas before Kafka: a broken schema file stops start-up before anything connects.
  const schemas = loadSchemaRegistry(config.schemas.dir);
  // Topics with a registry value format (docs/schemas.md), before Kafka too; none set: nothing is built, the path is today's.
  const serdes = config.schemaRegistry?.inUse
    ? startSerdes(config.schemaRegistry, log, serdesMetrics(metrics.set), { STATUS_TOPIC: config.status.topic, DEAD_LETTER_TOPIC: config.schemas.deadLetterTopic })
    : undefined;
  // Keys before Kafka too: a broken keys file stops start-up naming the entry.
  let producer: KafkaProducer | undefined;
  const listTopics = async () => (await producer!.clusterMetadata()).topics.map((t) => t.name);
  const access = createAccess({
    settings: config.access,
    deadLetterTopic: config.schemas.deadLetterTopic,
    statusTopic: config.status.topic,
    codeExecutionTopic: config.codeExecution.topic,
    log,
    listTopics,
  });
  producer = await KafkaProducer.connect(config.kafka, log);
  const bearer = await ensureOAuthBearer(config.kafka, log);
  if (bearer && metrics.set) bearer.onRefresh = (outcome) => metrics.set!.kafka.oauthbearerRefreshes.labels(outcome).inc();
  // REST Proxy v3 names the cluster: read in the background over the producer's own TLS/SASL settings
  // (src/kafka/cluster-id.ts); start-up and produce never wait for it.
  const clusterId = startClusterIdReader(config.kafka, log);
  await access.start();
  metrics.watchProducer(producer);
  const { deadLetterTopic } = config.schemas;
  const deadLetter =
    deadLetterTopic === undefined ? undefined : createDeadLetter({ topic: deadLetterTopic, source: config.source, produce: (record) => producer.produce(record), log });
  const schemaValidate = createSchemaValidate({
    registry: schemas,
    unregisteredTopics: config.schemas.unregisteredTopics,
    maxDepth: config.schemas.maxDepth,
    deadLetter,
  });
  // Permissions first: an item a client may not write is never schema-checked nor dead-lettered.
  // A registry topic is checked by its subject's schema when encoded, not by schemas/.
  const validate: Validate =
    serdes === undefined
      ? (item, ctx) => {
          access.validate(item, ctx);
          schemaValidate(item, ctx);
        }
      : (item, ctx) => {
          access.validate(item, ctx);
          if (serdes.encoder.formatOf(item.topic) === undefined) schemaValidate(item, ctx);
        };
  // Each authenticated client's share of MAX_IN_FLIGHT (without keys there are no clients to share among).
  const share = access.mode === 'off' ? undefined : new ClientShare(config.kafka.maxInFlightPerClient);
  const pipeline = metrics.watchPipeline(createPipeline({
    share,
    limits: config.limits,
    source: config.source,
    validate,
    produce: metrics.timeProduce((record) => producer.produce(record)),
    log,
    registry: serdes === undefined ? undefined : { encoder: serdes.encoder, maxDepth: config.schemas.maxDepth, deadLetter },
  }));
  const drain: DrainState = { draining: false };
  const status = await startStatus(config, log);
  const streams = statusStreams({
    status,
    pipeline,
    validate,
    settings: config.streams,
    access,
    openTail: (o) => TailConsumer.open(config.kafka, { ...o, metadataTimeoutMs: config.kafka.metadataTimeoutMs }, log),
    log,
  });
  const app = createApp({
    name: pkg.name,
    version: pkg.version,
    limits: config.limits,
    pipeline,
    isKafkaConnected: () => producer.connected,
    drain,
    log,
    schemas,
    codeExecution: config.codeExecution,
    producerDescription: { bootstrap_servers: config.kafka.bootstrapServers.split(','), producer_config: describeProducerConfig(config.kafka) },
    metrics: metrics.set,
    metricsElsewhere: config.metrics.port !== undefined,
    accessLog: config.accessLog,
    access,
    clusterMetadata: () => producer.clusterMetadata(),
    idempotency: new IdempotencyStore(config.idempotency),
    countAsyncFailures: (outcomes) => metrics.countAsyncFailures(outcomes),
    ...streams.appDeps,
    ndjson: config.ndjson,
    tracing,
    dialects: config.dialects,
    clusterId,
    schemaRegistryReachable: serdes?.reachable,
    share,
  });

  const webhooks =
    config.webhooks === undefined
      ? undefined
      : await startWebhooks(config.webhooks, {
          kafka: config.kafka,
          statusTopic: config.status.topic,
          log,
          ...(metrics.set ? { count: (outcome: string) => metrics.set!.webhooks.deliveries.labels(outcome).inc() } : {}),
        });

  // Bodies are timed by the app (middleware/body-timeout.ts), which exempts streams while data flows;
  // Node's requestTimeout would end a long NDJSON stream that is still sending. Headers stay Node's,
  // checked every second (Node's default interval, 30 s, would let a header trickle last 40 s).
  const server = createServer({ requestTimeout: 0, headersTimeout: config.http.headersTimeoutMs, connectionsCheckingInterval: 1000 }, app);
  answerClientErrors(server);
  server.listen(config.http.port, config.http.host);
  const responses = new OpenResponses();
  responses.attach(server);
  await once(server, 'listening');
  const metricsServer =
    config.metrics.port !== undefined && metrics.set ? await startMetricsServer(metrics.set.registry, config.http.host, config.metrics.port, log) : undefined;
  streams.attach(server, drain);
  // Listening already (liveness answers), but not ready, and not returned, before the view is whole.
  const statusRebuildMs = await status.rebuilt();
  const { port } = server.address() as AddressInfo;
  const host = config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host;
  let stopping: Promise<void> | undefined;
  return {
    server,
    producer,
    url: `http://${host}:${port}`,
    metricsUrl: metricsServer?.url,
    reloadKeys: () => access.reload(),
    statusView: status.view,
    statusRebuildMs,
    webhooks,
    shutdown: () =>
      (stopping ??= (async () => {
        // Streams never end on their own: refuse new ones, end the open ones, then drain the rest.
        drain.draining = true;
        streams.endStreams();
        access.stop();
        await Promise.all([
          drainAndClose({ server, producer, drain, responses, log, timeoutMs: config.http.shutdownTimeoutMs, acceptGraceMs: config.http.acceptGraceMs }),
          // Leaves the webhook group first, so its partitions move to the other replicas at once.
          webhooks?.close(config.http.shutdownTimeoutMs / 2),
        ]);
        await Promise.all([status.close(), metricsServer?.close()]);
        serdes?.close();
        stopOAuthBearer(config.kafka);
        // Last: the spans of the requests answered above go out before the process ends.
        await tracing.shutdown(Math.min(5000, config.http.shutdownTimeoutMs));
      })()),
  };
}
