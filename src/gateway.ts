import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/config.js';
import { createApp } from './http/app.js';
import type { DrainState } from './http/middleware/draining.js';
import { KafkaProducer } from './kafka/producer.js';
import type { Logger } from './logging/logger.js';
import { createGatewayMetrics } from './metrics/gateway-metrics.js';
import { createDeadLetter } from './pipeline/dead-letter.js';
import { createPipeline } from './pipeline/pipeline.js';
import { createSchemaValidate } from './pipeline/validate.js';
import { loadSchemaRegistry } from './schemas/registry.js';
import { readPackageInfo } from './package-info.js';
import { drainAndClose } from './shutdown.js';
import { ensureCompactedTopic } from './kafka/topic-admin.js';
import { WholeTopicReader } from './kafka/whole-topic-reader.js';
import { StatusView } from './status/status-view.js';
import { decodeStatusRecord } from './status/status-record.js';
import { createStatusRecorder } from './status/status-recorder.js';
import { StreamLimits } from './http/streams/stream-limits.js';
import { attachStatusSocket } from './http/ws/status-socket.js';
import { startWebhooks, type RunningWebhooks } from './webhooks/start-webhooks.js';

const pkg = readPackageInfo();

export interface RunningGateway {
  server: Server;
  producer: KafkaProducer;
  /** Present when WEBHOOK_URL is set (docs/webhooks.md). */
  webhooks?: RunningWebhooks | undefined;
  /** http://host:port the gateway listens on. */
  url: string;
  /** This replica's view of the status topic (docs/status.md); onEvent() to act on changes. */
  statusView: StatusView;
  /** How long rebuilding the status view from the topic took at start-up. */
  statusRebuildMs: number;
  /** Stop accepting, answer in-flight requests, flush the producer, disconnect. */
  shutdown(): Promise<void>;
}

/** Composition root: builds every part once, wires them, listens. No logic of its own. */
export async function startGateway(config: Readonly<Config>, log: Logger): Promise<RunningGateway> {
  const metrics = createGatewayMetrics(config.metrics, pkg.version);
  // Schemas before Kafka: a broken schema file stops start-up before anything connects.
  const schemas = loadSchemaRegistry(config.schemas.dir);
  const producer = await KafkaProducer.connect(config.kafka, log);
  metrics.watchProducer(producer);
  const { deadLetterTopic } = config.schemas;
  const validate = createSchemaValidate({
    registry: schemas,
    unregisteredTopics: config.schemas.unregisteredTopics,
    maxDepth: config.schemas.maxDepth,
    deadLetter:
      deadLetterTopic === undefined
        ? undefined
        : createDeadLetter({ topic: deadLetterTopic, source: config.source, produce: (record) => producer.produce(record), log }),
  });
  const pipeline = metrics.watchPipeline(createPipeline({
    limits: config.limits,
    source: config.source,
    validate,
    produce: metrics.timeProduce((record) => producer.produce(record)),
    log,
  }));
  const drain: DrainState = { draining: false };
  const { streams: st } = config;
  // Before anything writes to it: with auto-creation on, the first write would create it uncompacted.
  if (st.createStatusTopic) {
    await ensureCompactedTopic(config.kafka, { topic: config.status.topic, partitions: st.statusTopicPartitions, timeoutMs: config.kafka.metadataTimeoutMs * 3 }, log);
  }
  const statusView = new StatusView({
    maxEntries: st.maxEntries,
    retentionMs: st.retentionMs,
    maxHistory: st.historyMax,
    onListenerError: (err) => log.error('status listener failed', { err }),
  });
  const rebuildStarted = Date.now();
  const statusReader = await WholeTopicReader.start(
    config.kafka,
    {
      topic: config.status.topic,
      purpose: 'status',
      metadataTimeoutMs: config.kafka.metadataTimeoutMs,
      onRecord: (record, replay) => {
        const decoded = decodeStatusRecord(record, replay);
        if (decoded) statusView.apply(decoded.event, decoded.position);
      },
    },
    log,
  );
  const sweep = setInterval(() => statusView.sweep(), 60_000);
  sweep.unref();
  const isStatusReady = () => statusReader.isCaughtUp;
  const streams = new StreamLimits(st);
  const streamSettings = { heartbeatMs: st.heartbeatMs, maxBufferBytes: st.maxBufferBytes };
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
    kafka: config.kafka,
    metrics: metrics.set,
    accessLog: config.accessLog,
    isStatusReady,
    submissions: { statusView, isStatusReady, streams, streamSettings },
    topicTail: {
      kafka: config.kafka,
      streams,
      streamSettings: { ...streamSettings, tailIdleTimeoutMs: st.tailIdleTimeoutMs },
    },
    submissionStatus: { record: createStatusRecorder({ topic: config.status.topic, pipeline, view: statusView }), validate },
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

  const server = app.listen(config.http.port, config.http.host);
  await once(server, 'listening');
  const socket = attachStatusSocket(server, {
    statusView,
    isStatusReady,
    streams,
    settings: { ...streamSettings, subscriptionsMax: st.subscriptionsMax },
    drain,
    log,
  });
  // Listening already (liveness answers), but not ready, and not returned, before the view is whole.
  await statusReader.caughtUp;
  const statusRebuildMs = Date.now() - rebuildStarted;
  log.info('status view rebuilt', { topic: config.status.topic, request_ids: statusView.size, ms: statusRebuildMs });
  const { port } = server.address() as AddressInfo;
  const host = config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host;
  let stopping: Promise<void> | undefined;
  return {
    server,
    producer,
    url: `http://${host}:${port}`,
    statusView,
    statusRebuildMs,
    webhooks,
    shutdown: () =>
      (stopping ??= (async () => {
        // Streams never end on their own: refuse new ones, end the open ones, then drain the rest.
        drain.draining = true;
        clearInterval(sweep);
        streams.closeAll();
        socket.close();
        await Promise.all([
          drainAndClose({ server, producer, drain, log, timeoutMs: config.http.shutdownTimeoutMs }),
          // Leaves the webhook group first, so its partitions move to the other replicas at once.
          webhooks?.close(config.http.shutdownTimeoutMs / 2),
        ]);
        await statusReader.close();
      })()),
  };
}
