import path from 'node:path';
import { packageRoot } from '../package-info.js';
import { ConfigError } from './config-error.js';
import { SHUTDOWN_MARGIN_MS, type Config } from './config-types.js';
import { readKafkaSecurity } from './kafka-security.js';
import { readRdkafkaPassthrough } from './rdkafka-passthrough.js';
import { envSchema } from './schema.js';
import { isSecretName } from './secret.js';
import { schemaRegistrySettings } from './schema-registry-settings.js';
import { tracingSettings } from './tracing-settings.js';
import { webhookSettings } from './webhook-settings.js';
import { readJwtSettings } from './jwt-settings.js';

export { ConfigError } from './config-error.js';
export type { SchemaRegistrySettings } from './schema-registry-settings.js';
export type { TracingSettings } from './tracing-settings.js';
export type { WebhookSettings } from './webhook-settings.js';
// The typed shape lives in config-types.ts; importers keep importing it from here.
export * from './config-types.js';

/** Reads the environment once; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const given = present[name] === undefined || isSecretName(name) ? '' : ` (got ${JSON.stringify(present[name])})`;
        return `${name}: ${issue.message}${given}`;
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  const jwt = readJwtSettings(e, problems);
  if (e.METRICS_REQUIRE_AUTH && e.AUTH_KEYS_FILE === undefined && jwt === undefined) {
    problems.push('METRICS_REQUIRE_AUTH: needs AUTH_KEYS_FILE or AUTH_JWT_ISSUER/AUTH_JWT_JWKS_URL (there are no credentials to require)');
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_REQUIRE_AUTH) {
    problems.push('METRICS_REQUIRE_AUTH: not with METRICS_PORT (the metrics port takes no keys: keep it off the network clients reach)');
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    problems.push(`METRICS_PORT: must differ from PORT (got ${e.METRICS_PORT})`);
  }
  if (e.METRICS_PORT !== undefined && !e.METRICS_ENABLED) problems.push('METRICS_PORT: needs METRICS_ENABLED=true');
  if (e.RATE_LIMIT_BURST !== undefined && e.RATE_LIMIT_PER_S === undefined) {
    problems.push('RATE_LIMIT_BURST: needs RATE_LIMIT_PER_S');
  }
  const security = readKafkaSecurity(e, problems);
  const rdkafka = readRdkafkaPassthrough(present as Record<string, string>, problems);
  // The accept grace comes first, then requests received up to its end still get their full deadline.
  const shutdownNeeds = e.SHUTDOWN_ACCEPT_GRACE_MS + e.PRODUCE_DEADLINE_MS + SHUTDOWN_MARGIN_MS;
  if (e.SHUTDOWN_TIMEOUT_MS < shutdownNeeds) {
    problems.push(
      `SHUTDOWN_TIMEOUT_MS: must be at least SHUTDOWN_ACCEPT_GRACE_MS + PRODUCE_DEADLINE_MS + ${SHUTDOWN_MARGIN_MS} ms (${shutdownNeeds}), ` +
        `so requests in flight at SIGTERM get their answer (got SHUTDOWN_TIMEOUT_MS=${e.SHUTDOWN_TIMEOUT_MS}, ` +
        `SHUTDOWN_ACCEPT_GRACE_MS=${e.SHUTDOWN_ACCEPT_GRACE_MS}, PRODUCE_DEADLINE_MS=${e.PRODUCE_DEADLINE_MS})`,
    );
  }
  if (e.KAFKA_DELIVERY_TIMEOUT_MS < e.PRODUCE_DEADLINE_MS) {
    problems.push(
      `KAFKA_DELIVERY_TIMEOUT_MS: must be at least PRODUCE_DEADLINE_MS (got ${e.KAFKA_DELIVERY_TIMEOUT_MS} < ${e.PRODUCE_DEADLINE_MS}); ` +
        'the gateway answers 504 at the deadline itself, librdkafka keeps retrying past it',
    );
  }
  if (e.KAFKA_RETRIES !== undefined && e.KAFKA_ENABLE_IDEMPOTENCE) {
    problems.push(
      'KAFKA_RETRIES: leave it unset while KAFKA_ENABLE_IDEMPOTENCE=true: bounded retries fail messages on a leader change; delivery is bounded by PRODUCE_DEADLINE_MS',
    );
  }
  // Streams that may together hold more than MAX_IN_FLIGHT would fail each other's lines (and every
  // other request) with OVERLOADED instead of being slowed by their windows.
  if (e.NDJSON_STREAMS_MAX_OPEN * e.NDJSON_MAX_IN_FLIGHT > e.MAX_IN_FLIGHT) {
    problems.push(
      `NDJSON_STREAMS_MAX_OPEN × NDJSON_MAX_IN_FLIGHT must not exceed MAX_IN_FLIGHT (got ${e.NDJSON_STREAMS_MAX_OPEN} × ${e.NDJSON_MAX_IN_FLIGHT} = ` +
        `${e.NDJSON_STREAMS_MAX_OPEN * e.NDJSON_MAX_IN_FLIGHT} > ${e.MAX_IN_FLIGHT}): lower one of the first two or raise MAX_IN_FLIGHT`,
    );
  }
  if (e.MAX_IN_FLIGHT_PER_CLIENT !== undefined && e.MAX_IN_FLIGHT_PER_CLIENT > e.MAX_IN_FLIGHT) {
    problems.push(`MAX_IN_FLIGHT_PER_CLIENT: must not exceed MAX_IN_FLIGHT (got ${e.MAX_IN_FLIGHT_PER_CLIENT} > ${e.MAX_IN_FLIGHT})`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const webhooks = webhookSettings(e);
  const tracing = tracingSettings(e, e.SOURCE_NAME);
  const schemaRegistry = schemaRegistrySettings(e);
  return deepFreeze({
    http: { host: e.HOST, port: e.PORT, shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS, acceptGraceMs: e.SHUTDOWN_ACCEPT_GRACE_MS, headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS },
    limits: {
      bodyBytes: e.BODY_LIMIT_BYTES,
      batchItems: e.BATCH_MAX_ITEMS,
      keyBytes: e.KEY_MAX_BYTES,
      headersCount: e.HEADERS_MAX_COUNT,
      headerValueBytes: e.HEADER_VALUE_MAX_BYTES,
    },
    source: e.SOURCE_NAME,
    logLevel: e.LOG_LEVEL,
    accessLog: e.ACCESS_LOG,
    metrics: { enabled: e.METRICS_ENABLED, maxTopics: e.METRICS_MAX_TOPICS, port: e.METRICS_PORT },
    kafka: {
      bootstrapServers: e.KAFKA_BOOTSTRAP_SERVERS,
      clientId: e.KAFKA_CLIENT_ID,
      retries: e.KAFKA_RETRIES,
      retryBackoffMs: e.KAFKA_RETRY_BACKOFF_MS,
      batchSize: e.KAFKA_BATCH_SIZE,
      lingerMs: e.KAFKA_LINGER_MS,
      bufferMemoryBytes: e.KAFKA_BUFFER_MEMORY,
      queueMaxMessages: e.KAFKA_QUEUE_MAX_MESSAGES,
      messageTimeoutMs: e.KAFKA_DELIVERY_TIMEOUT_MS,
      deadlineMs: e.PRODUCE_DEADLINE_MS,
      maxInFlight: e.MAX_IN_FLIGHT,
      maxInFlightPerClient: e.MAX_IN_FLIGHT_PER_CLIENT ?? Math.max(1, Math.floor(e.MAX_IN_FLIGHT / 2)),
      requestTimeoutMs: e.KAFKA_REQUEST_TIMEOUT_MS,
      metadataTimeoutMs: e.KAFKA_METADATA_TIMEOUT_MS,
      topicPropagationMs: e.KAFKA_TOPIC_PROPAGATION_MS,
      statisticsIntervalMs: e.KAFKA_STATISTICS_INTERVAL_MS,
      compression: e.KAFKA_COMPRESSION,
      enableIdempotence: e.KAFKA_ENABLE_IDEMPOTENCE,
      security,
      rdkafka,
    },
    schemas: {
      dir: path.resolve(e.SCHEMA_DIR ?? path.join(packageRoot() ?? process.cwd(), 'schemas')),
      unregisteredTopics: e.UNREGISTERED_TOPICS,
      maxDepth: e.SCHEMA_MAX_DEPTH,
      deadLetterTopic: e.DEAD_LETTER_TOPIC,
    },
    codeExecution: { topic: e.CODE_EXECUTION_TOPIC },
    status: { topic: e.STATUS_TOPIC },
    access: {
      keysFile: e.AUTH_KEYS_FILE === undefined ? undefined : path.resolve(e.AUTH_KEYS_FILE),
      hmacToleranceS: e.HMAC_TOLERANCE_S,
      metricsRequireAuth: e.METRICS_REQUIRE_AUTH,
      rateLimit:
        e.RATE_LIMIT_PER_S === undefined
          ? undefined
          : { perSecond: e.RATE_LIMIT_PER_S, burst: e.RATE_LIMIT_BURST ?? Math.max(1, Math.ceil(e.RATE_LIMIT_PER_S)) },
      corsOrigins: e.CORS_ORIGINS ?? [],
      topicAllow: e.TOPIC_ALLOW,
      requireExistingTopics: e.REQUIRE_EXISTING_TOPICS,
      topicMetadataTtlMs: e.TOPIC_METADATA_TTL_MS,
      ...(jwt ? { jwt } : {}),
    },
    idempotency: { windowMs: e.IDEMPOTENCY_WINDOW_S * 1000, maxEntries: e.IDEMPOTENCY_MAX_ENTRIES, maxBytes: e.IDEMPOTENCY_MAX_BYTES },
    streams: {
      createStatusTopic: e.STATUS_TOPIC_CREATE,
      statusTopicPartitions: e.STATUS_TOPIC_PARTITIONS,
      maxEntries: e.STATUS_MAX_ENTRIES,
      retentionMs: e.STATUS_RETENTION_S * 1000,
      historyMax: e.STATUS_HISTORY_MAX,
      maxOpen: e.STREAMS_MAX_OPEN,
      maxPerClient: e.STREAMS_MAX_PER_CLIENT,
      subscriptionsMax: e.SUBSCRIPTIONS_MAX,
      heartbeatMs: e.STREAM_HEARTBEAT_S * 1000,
      maxBufferBytes: e.STREAM_MAX_BUFFER_BYTES,
      tailMaxConcurrent: e.TAIL_MAX_CONCURRENT,
      tailMaxPerClient: Math.min(e.TAIL_MAX_PER_CLIENT, e.TAIL_MAX_CONCURRENT),
      tailOpenPerS: e.TAIL_OPEN_PER_S,
      tailOpenBurst: e.TAIL_OPEN_BURST,
      tailIdleTimeoutMs: e.TAIL_IDLE_TIMEOUT_S * 1000,
    },
    ndjson: { maxInFlight: e.NDJSON_MAX_IN_FLIGHT, maxInFlightBytes: e.NDJSON_MAX_IN_FLIGHT_BYTES, maxOpen: e.NDJSON_STREAMS_MAX_OPEN, rateLimitWaitMs: e.NDJSON_RATE_LIMIT_WAIT_MS, requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS },
    dialects: { cloudEventsStructuredTopics: e.CLOUDEVENTS_STRUCTURED_TOPICS ?? [] },
    webhooks,
    tracing,
    schemaRegistry,
  });
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}
