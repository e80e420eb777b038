import path from 'node:path';
import { packageRoot } from '../package-info.js';
import { envSchema, type Env } from './schema.js';

export interface ProducerSettings {
  bootstrapServers: string;
  clientId: string;
  retries: number;
  retryBackoffMs: number;
  batchSize: number;
  lingerMs: number;
  bufferMemoryBytes: number;
  queueMaxMessages: number;
  messageTimeoutMs: number;
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
export interface StreamSettings {
  /** Items handed to the pipeline and not yet answered, per stream; while full, the body is not read. */
  maxInFlight: number;
  /** The same window in bytes of line text. */
  maxInFlightBytes: number;
  /** Streams open at once across the gateway; one more → 429 TOO_MANY_STREAMS. */
  maxOpen: number;
  /** Node's server.requestTimeout: the longest one request (a stream) may take to arrive; 0 = none. */
  requestTimeoutMs: number;
}

export interface MetricsSettings {
  enabled: boolean;
  /** How many distinct topics get a label of their own; the rest share "__other__". */
  maxTopics: number;
}

export interface Config {
  http: { host: string; port: number; shutdownTimeoutMs: number };
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
  stream: StreamSettings;
}

export interface SchemaSettings {
  /** Absolute path of the directory holding <topic>/<version>.json. */
  dir: string;
  unregisteredTopics: Env['UNREGISTERED_TOPICS'];
  maxDepth: number;
  /** Where messages refused by their schema are copied; undefined = nowhere. */
  deadLetterTopic: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment once; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const given = present[name] === undefined ? '' : ` (got ${JSON.stringify(present[name])})`;
        return `${name}: ${issue.message}${given}`;
      }),
    );
  }
  const e = parsed.data;
  return deepFreeze({
    http: { host: e.HOST, port: e.PORT, shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS },
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
    metrics: { enabled: e.METRICS_ENABLED, maxTopics: e.METRICS_MAX_TOPICS },
    kafka: {
      bootstrapServers: e.KAFKA_BOOTSTRAP_SERVERS,
      clientId: e.KAFKA_CLIENT_ID,
      retries: e.KAFKA_RETRIES,
      retryBackoffMs: e.KAFKA_RETRY_BACKOFF_MS,
      batchSize: e.KAFKA_BATCH_SIZE,
      lingerMs: e.KAFKA_LINGER_MS,
      bufferMemoryBytes: e.KAFKA_BUFFER_MEMORY,
      queueMaxMessages: e.KAFKA_QUEUE_MAX_MESSAGES,
      messageTimeoutMs: e.KAFKA_MESSAGE_TIMEOUT_MS,
      requestTimeoutMs: e.KAFKA_REQUEST_TIMEOUT_MS,
      metadataTimeoutMs: e.KAFKA_METADATA_TIMEOUT_MS,
      topicPropagationMs: e.KAFKA_TOPIC_PROPAGATION_MS,
      statisticsIntervalMs: e.KAFKA_STATISTICS_INTERVAL_MS,
      compression: e.KAFKA_COMPRESSION,
      enableIdempotence: e.KAFKA_ENABLE_IDEMPOTENCE,
    },
    schemas: {
      dir: path.resolve(e.SCHEMA_DIR ?? path.join(packageRoot() ?? process.cwd(), 'schemas')),
      unregisteredTopics: e.UNREGISTERED_TOPICS,
      maxDepth: e.SCHEMA_MAX_DEPTH,
      deadLetterTopic: e.DEAD_LETTER_TOPIC,
    },
    codeExecution: { topic: e.CODE_EXECUTION_TOPIC },
    status: { topic: e.STATUS_TOPIC },
    stream: { maxInFlight: e.STREAM_MAX_IN_FLIGHT, maxInFlightBytes: e.STREAM_MAX_IN_FLIGHT_BYTES, maxOpen: e.STREAM_MAX_OPEN, requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS },
  });
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}
