import { readFileSync } from 'node:fs';
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
  /** The status view, real-time streams and topic tail (docs/status.md). */
  streams: StreamSettings;
  /** Signed webhooks on terminal statuses (docs/webhooks.md); undefined when WEBHOOK_URL is unset. */
  webhooks: WebhookSettings | undefined;
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
  tailIdleTimeoutMs: number;
}

export interface WebhookSettings {
  url: string;
  /** HMAC key: never logged, never shown by a status endpoint. */
  secret: string;
  maxAttempts: number;
  timeoutMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  queueMax: number;
  concurrency: number;
  consumerGroup: string;
  /** Terminal events whose record is older than this are not sent (a restart after a long outage). */
  maxEventAgeMs: number;
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
        // A secret's value is never echoed, not even a wrong one.
        const given = present[name] === undefined || /SECRET/.test(name) ? '' : ` (got ${JSON.stringify(present[name])})`;
        return `${name}: ${issue.message}${given}`;
      }),
    );
  }
  const e = parsed.data;
  const webhooks = webhookSettings(e);
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
      tailIdleTimeoutMs: e.TAIL_IDLE_TIMEOUT_S * 1000,
    },
    webhooks,
  });
}

/** Cross-field rules of the webhook settings: a URL needs exactly one source of secret (no unsigned webhooks). */
function webhookSettings(e: Env): WebhookSettings | undefined {
  if (e.WEBHOOK_SECRET !== undefined && e.WEBHOOK_SECRET_FILE !== undefined) {
    throw new ConfigError(['WEBHOOK_SECRET_FILE: set WEBHOOK_SECRET or WEBHOOK_SECRET_FILE, not both']);
  }
  let secret = e.WEBHOOK_SECRET;
  if (e.WEBHOOK_SECRET_FILE !== undefined) {
    try {
      // A trailing newline is an editor's, not part of the key.
      secret = readFileSync(e.WEBHOOK_SECRET_FILE, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new ConfigError([`WEBHOOK_SECRET_FILE: cannot read ${JSON.stringify(e.WEBHOOK_SECRET_FILE)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
    }
    if (secret.length < 16) throw new ConfigError(['WEBHOOK_SECRET_FILE: the secret must be at least 16 characters']);
  }
  if (e.WEBHOOK_URL === undefined) return undefined;
  if (secret === undefined) throw new ConfigError(['WEBHOOK_SECRET: required when WEBHOOK_URL is set (webhooks are always signed)']);
  if (e.WEBHOOK_BACKOFF_MAX_MS < e.WEBHOOK_BACKOFF_BASE_MS) {
    throw new ConfigError(['WEBHOOK_BACKOFF_MAX_MS: must be at least WEBHOOK_BACKOFF_BASE_MS']);
  }
  return {
    url: e.WEBHOOK_URL,
    secret,
    maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
    timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    backoffBaseMs: e.WEBHOOK_BACKOFF_BASE_MS,
    backoffMaxMs: e.WEBHOOK_BACKOFF_MAX_MS,
    queueMax: e.WEBHOOK_QUEUE_MAX,
    concurrency: e.WEBHOOK_CONCURRENCY,
    consumerGroup: e.WEBHOOK_CONSUMER_GROUP,
    maxEventAgeMs: e.WEBHOOK_MAX_EVENT_AGE_S * 1000,
  };
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}
