import type { KafkaSecuritySettings } from './kafka-security.js';
import type { RdkafkaProperty } from './rdkafka-passthrough.js';
import type { Env } from './schema.js';
import type { SchemaRegistrySettings } from './schema-registry-settings.js';
import type { TracingSettings } from './tracing-settings.js';
import type { WebhookSettings } from './webhook-settings.js';
import type { JwtSettings } from './jwt-settings.js';

// The typed shape of the configuration; src/config/config.ts reads the environment into it.

/** What every Kafka client of the gateway (producer, consumers) needs to reach the cluster. */
export interface KafkaConnectionSettings {
  bootstrapServers: string;
  clientId: string;
  security: KafkaSecuritySettings;
  /** KAFKA_RDKAFKA_<PROPERTY> variables, checked against the refused list. */
  rdkafka: RdkafkaProperty[];
}

export interface ProducerSettings extends KafkaConnectionSettings {
  /** undefined = librdkafka's default (unbounded retries, bounded by message.timeout.ms). */
  retries: number | undefined;
  retryBackoffMs: number;
  batchSize: number;
  lingerMs: number;
  bufferMemoryBytes: number;
  queueMaxMessages: number;
  /** librdkafka's message.timeout.ms (KAFKA_DELIVERY_TIMEOUT_MS), independent of the answer deadline. */
  messageTimeoutMs: number;
  /** The gateway's own bound on waiting for a delivery report (PRODUCE_DEADLINE_MS). */
  deadlineMs: number;
  /** Messages handed over and not yet reported on, past which produce is refused (MAX_IN_FLIGHT). */
  maxInFlight: number;
  /** One authenticated client's share of maxInFlight (MAX_IN_FLIGHT_PER_CLIENT). */
  maxInFlightPerClient: number;
  requestTimeoutMs: number;
  metadataTimeoutMs: number;
  topicPropagationMs: number;
  statisticsIntervalMs: number;
  compression: Env['KAFKA_COMPRESSION'];
  enableIdempotence: boolean;
}

export interface Limits {
  bodyBytes: number;
  batchItems: number;
  keyBytes: number;
  headersCount: number;
  headerValueBytes: number;
}

/** NDJSON streams on /produce/batch (src/http/routes/produce-stream.ts). */
export interface DialectSettings {
  /** CLOUDEVENTS_STRUCTURED_TOPICS: topic patterns whose CloudEvents go to Kafka in structured mode (else binary). */
  cloudEventsStructuredTopics: string[];
}

export interface NdjsonSettings {
  /** Items handed to the pipeline and not yet answered, per stream; while full, the body is not read. */
  maxInFlight: number;
  /** The same window in bytes of line text. */
  maxInFlightBytes: number;
  /** Streams open at once across the gateway; one more → 429 TOO_MANY_NDJSON_STREAMS. */
  maxOpen: number;
  /** The longest a stream waits for rate-limit points before answering its lines 429 RATE_LIMITED. */
  rateLimitWaitMs: number;
  /** HTTP_REQUEST_TIMEOUT_MS: the longest a request body may take to arrive (src/http/middleware/body-timeout.ts);
   * for a stream, the longest it may send nothing while the gateway waits for data; 0 = none. */
  requestTimeoutMs: number;
}

export interface MetricsSettings {
  enabled: boolean;
  /** How many distinct topics get a label of their own; the rest share "__other__". */
  maxTopics: number;
  /** METRICS_PORT: /metrics on its own listener instead of the main port; undefined = on the main port. */
  port?: number | undefined;
}

export interface Config {
  http: { host: string; port: number; shutdownTimeoutMs: number; acceptGraceMs: number; headersTimeoutMs: number };
  limits: Limits;
  source: string;
  logLevel: Env['LOG_LEVEL'];
  /** One JSON line per request at level info (src/http/middleware/access-log.ts). */
  accessLog: boolean;
  metrics: MetricsSettings;
  kafka: ProducerSettings;
  schemas: SchemaSettings;
  codeExecution: { topic: string };
  /** Where submission status events live (docs/status.md); reserved for the gateway's own writers. */
  status: { topic: string };
  access: AccessSettings;
  idempotency: IdempotencySettings;
  /** The status view, real-time streams and topic tail (docs/status.md). */
  streams: StreamSettings;
  /** NDJSON streaming on /produce/batch (README "Streaming produce"). */
  ndjson: NdjsonSettings;
  /** HTTP dialects (src/http/dialects/, docs/dialects.md). */
  dialects: DialectSettings;
  /** Signed webhooks on terminal statuses (docs/webhooks.md); undefined when WEBHOOK_URL is unset. */
  webhooks: WebhookSettings | undefined;
  /** Spans exported over OTLP (docs/observability.md "Tracing"); undefined = off (traceparent is still copied). */
  tracing: TracingSettings | undefined;
  /** Schema Registry value formats (docs/schemas.md); undefined when no topic has one (plain JSON everywhere). */
  schemaRegistry: SchemaRegistrySettings | undefined;
}

export interface StreamSettings {
  /** Create the status topic compacted at start-up when it is missing. */
  createStatusTopic: boolean;
  statusTopicPartitions: number;
  maxEntries: number;
  retentionMs: number;
  historyMax: number;
  /** Open SSE streams and WebSockets together, whole gateway. */
  maxOpen: number;
  /** Open SSE streams and WebSockets of one client (its name once keys exist, else its address). */
  maxPerClient: number;
  /** Request ids one WebSocket may follow. */
  subscriptionsMax: number;
  heartbeatMs: number;
  /** Bytes queued for one client beyond which it is dropped as too slow. */
  maxBufferBytes: number;
  tailMaxConcurrent: number;
  /** Tails of one client (TAIL_MAX_PER_CLIENT, at most tailMaxConcurrent). */
  tailMaxPerClient: number;
  /** Tails one client may open per second on average, and at once (TAIL_OPEN_PER_S, TAIL_OPEN_BURST). */
  tailOpenPerS: number;
  tailOpenBurst: number;
  tailIdleTimeoutMs: number;
}

/** Clients → gateway (src/access/, docs/security.md). */
export interface AccessSettings {
  /** undefined: authentication off. */
  keysFile: string | undefined;
  hmacToleranceS: number;
  metricsRequireAuth: boolean;
  /** Per address without keys, and the default for keys without their own; undefined = off. */
  rateLimit: { perSecond: number; burst: number } | undefined;
  corsOrigins: string[];
  topicAllow: string[] | undefined;
  requireExistingTopics: boolean;
  topicMetadataTtlMs: number;
  /** JWT bearer tokens (AUTH_JWT_*); undefined = off. */
  jwt?: JwtSettings | undefined;
}

export interface IdempotencySettings {
  windowMs: number;
  maxEntries: number;
  maxBytes: number;
}

/** Time the shutdown needs beyond the produce deadline: the answer's slack and a last flush. */
export const SHUTDOWN_MARGIN_MS = 2000;

export interface SchemaSettings {
  /** Absolute path of the directory holding <topic>/<version>.json. */
  dir: string;
  unregisteredTopics: Env['UNREGISTERED_TOPICS'];
  maxDepth: number;
  /** Where messages refused by their schema are copied; undefined = nowhere. */
  deadLetterTopic: string | undefined;
}
