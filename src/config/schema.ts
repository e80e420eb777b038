import { z } from 'zod';
import { topicNameProblem } from '../shared/topic-name.js';
import { TOPIC_PATTERN, TOPIC_PATTERN_RULE } from '../shared/topic-pattern.js';
import { otelEnv } from './otel-env.js';

// Every setting, its environment variable and its default, in one place.
// Numbers and booleans arrive as strings; z.coerce turns them into values and rejects junk.
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const topicName = z.string().superRefine((name, ctx) => {
  const problem = topicNameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const envSchema = z.object({
  // HTTP
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(0, 65535).default(8001),
  BODY_LIMIT_BYTES: int(1, 256 * 1024 * 1024).default(1024 * 1024),
  BATCH_MAX_ITEMS: int(1, 1_000_000).default(10_000),
  KEY_MAX_BYTES: int(1, 1024 * 1024).default(4096),
  HEADERS_MAX_COUNT: int(0, 1000).default(64),
  HEADER_VALUE_MAX_BYTES: int(1, 1024 * 1024).default(8192),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(30_000),
  // Identity written into every record's metadata
  SOURCE_NAME: z.string().min(1).max(255).default('kgate'),
  // Logging
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']).default('info'),
  ACCESS_LOG: bool.default(true),
  // Metrics (docs/observability.md): topics beyond the cap share the label topic="__other__"
  METRICS_ENABLED: bool.default(true),
  METRICS_MAX_TOPICS: int(0, 10_000).default(100),
  // GET /metrics on a listener of its own (not on PORT); unset = on PORT (docs/security.md)
  METRICS_PORT: int(0, 65535).optional(),
  // Kafka
  KAFKA_BOOTSTRAP_SERVERS: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'expected host:port[,host:port...]')
    .default('127.0.0.1:9092'),
  KAFKA_CLIENT_ID: z.string().min(1).default('kgate'),
  // Unset = librdkafka's own (unbounded under idempotence): delivery is bounded by time only (PRODUCE_DEADLINE_MS).
  KAFKA_RETRIES: int(0, 2_147_483_647).optional(),
  KAFKA_RETRY_BACKOFF_MS: int(1, 300_000).default(100),
  // librdkafka's own default, not the seed's 16384 (the Java client's): 1.7× the messages per second from
  // node-rdkafka alone and 1.2–1.3× on /produce/batch (docs/benchmarks.md).
  KAFKA_BATCH_SIZE: int(1, 2_147_483_647).default(1_000_000),
  KAFKA_LINGER_MS: z.coerce.number().min(0).max(900_000).default(1),
  KAFKA_BUFFER_MEMORY: int(1024, 2_097_151 * 1024).default(33_554_432),
  KAFKA_QUEUE_MAX_MESSAGES: int(1, 2_147_483_647).default(100_000),
  KAFKA_REQUEST_TIMEOUT_MS: int(1000, 900_000).default(5_000),
  KAFKA_METADATA_TIMEOUT_MS: int(100, 60_000).default(3_000),
  KAFKA_TOPIC_PROPAGATION_MS: int(0, 600_000).default(5_000),
  KAFKA_STATISTICS_INTERVAL_MS: int(100, 3_600_000).default(1_000),
  KAFKA_COMPRESSION: z.enum(['none', 'gzip', 'snappy', 'lz4']).default('none'),
  KAFKA_ENABLE_IDEMPOTENCE: bool.default(true),
  // Topic schemas (docs/schemas.md). SCHEMA_DIR defaults to <package root>/schemas (src/config/config.ts).
  SCHEMA_DIR: z.string().min(1).optional(),
  UNREGISTERED_TOPICS: z.enum(['accept', 'reject']).default('accept'),
  SCHEMA_MAX_DEPTH: int(1, 1000).default(64),
  DEAD_LETTER_TOPIC: topicName.optional(),
  CODE_EXECUTION_TOPIC: topicName.default('code-execution'),
  // Submission status (docs/status.md): workers publish status events here, keyed by request id.
  STATUS_TOPIC: topicName.default('code-execution-status'),
  // Clients → gateway (docs/security.md). AUTH_KEYS_FILE unset = authentication off.
  AUTH_KEYS_FILE: z.string().min(1).optional(),
  HMAC_TOLERANCE_S: int(1, 86_400).default(300),
  METRICS_REQUIRE_AUTH: bool.default(false),
  RATE_LIMIT_PER_S: z.coerce.number().positive().max(1_000_000).optional(),
  RATE_LIMIT_BURST: int(1, 10_000_000).optional(),
  CORS_ORIGINS: z
    .string()
    .transform((v) => v.split(',').map((o) => o.trim()).filter((o) => o !== ''))
    .pipe(z.array(z.string().refine(isOrigin, 'each origin must be scheme://host[:port], without path or trailing slash')))
    .optional(),
  TOPIC_ALLOW: z
    .string()
    .transform((v) => v.split(',').map((p) => p.trim()).filter((p) => p !== ''))
    .pipe(z.array(z.string().regex(TOPIC_PATTERN, `each pattern is ${TOPIC_PATTERN_RULE}`)))
    .optional(),
  REQUIRE_EXISTING_TOPICS: bool.default(false),
  // JWT bearer tokens from an identity provider (docs/security.md); cross-checks: src/config/jwt-settings.ts
  AUTH_JWT_ISSUER: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  AUTH_JWT_JWKS_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  AUTH_JWT_AUDIENCE: z.string().optional(),
  AUTH_JWT_ALGORITHMS: z.string().default('RS256,ES256,EdDSA,PS256'),
  AUTH_JWT_CLOCK_SKEW_S: int(0, 3600).default(60),
  AUTH_JWT_NAME_CLAIM: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'a claim name').default('sub'),
  AUTH_JWT_TOPICS_CLAIM: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'a claim name').default('kgate_topics'),
  AUTH_JWT_READ_TOPICS_CLAIM: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'a claim name').default('kgate_read_topics'),
  AUTH_JWT_SCOPE_PREFIX: z.string().min(1).max(128).optional(),
  AUTH_JWT_READ_SCOPE_PREFIX: z.string().min(1).max(128).optional(),
  AUTH_JWT_RATE_LIMIT: z.string().regex(/^\d+(\.\d+)?(\/\d+)?$/, 'expected <per_second>[/<burst>], e.g. 50 or 50/100').optional(),
  // HTTP dialects (docs/dialects.md): topics whose CloudEvents are written in the Kafka binding's structured mode.
  CLOUDEVENTS_STRUCTURED_TOPICS: z
    .string()
    .transform((v) => v.split(',').map((p) => p.trim()).filter((p) => p !== ''))
    .pipe(z.array(z.string().regex(/^[a-zA-Z0-9._*-]{1,249}$/, 'each pattern is 1-249 characters of a-z, A-Z, 0-9, ".", "_", "-" and "*"')))
    .optional(),
  TOPIC_METADATA_TTL_MS: int(100, 3_600_000).default(10_000),
  // Gateway → Kafka security (docs/security.md). Cross-checks and the _FILE variants: src/config/kafka-security.ts;
  // the KAFKA_RDKAFKA_<PROPERTY> pass-through: src/config/rdkafka-passthrough.ts.
  KAFKA_SECURITY_PROTOCOL: z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(['plaintext', 'ssl', 'sasl_plaintext', 'sasl_ssl']))
    .default('plaintext'),
  KAFKA_SASL_MECHANISM: z
    .string()
    .transform((v) => v.toUpperCase())
    .pipe(z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER']))
    .optional(),
  // OAUTHBEARER: the gateway fetches tokens itself (client credentials) and hands them to librdkafka (src/kafka/oauthbearer.ts)
  KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  KAFKA_SASL_OAUTHBEARER_CLIENT_ID: z.string().min(1).max(1024).optional(),
  KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET: z.string().optional(),
  KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET_FILE: z.string().optional(),
  KAFKA_SASL_OAUTHBEARER_SCOPE: z.string().min(1).max(4096).optional(),
  KAFKA_SASL_OAUTHBEARER_EXTENSIONS: z
    .string()
    .regex(/^[A-Za-z]+=[\x21-\x2b\x2d-\x7e]+(,[A-Za-z]+=[\x21-\x2b\x2d-\x7e]+)*$/, 'expected key=value[,key=value...] (RFC 7628 extension names are letters)')
    .optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_USERNAME_FILE: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  KAFKA_SASL_PASSWORD_FILE: z.string().optional(),
  KAFKA_SSL_CA_LOCATION: z.string().optional(),
  KAFKA_SSL_CERTIFICATE_LOCATION: z.string().optional(),
  KAFKA_SSL_KEY_LOCATION: z.string().optional(),
  KAFKA_SSL_KEY_PASSWORD: z.string().optional(),
  KAFKA_SSL_KEY_PASSWORD_FILE: z.string().optional(),
  KAFKA_SSL_ENDPOINT_IDENTIFICATION: z.enum(['https', 'none']).default('https'),
  // Delivery (docs/reliability.md): the answer bound, back-pressure, idempotent retries.
  PRODUCE_DEADLINE_MS: int(1000, 900_000).default(10_000),
  // librdkafka's own message.timeout.ms: well above any failover, so an idempotent retry is never cut short
  // (a timeout there resets the producer id and re-sends what may already be written: duplicates).
  KAFKA_DELIVERY_TIMEOUT_MS: int(1000, 3_600_000).default(120_000),
  // SIGTERM: /ready turns 503 at once, new requests are answered 503 SHUTTING_DOWN this long before the listener closes.
  SHUTDOWN_ACCEPT_GRACE_MS: int(0, 60_000).default(1500),
  MAX_IN_FLIGHT: int(1, 10_000_000).default(10_000),
  // One authenticated client's share of MAX_IN_FLIGHT; unset = half of it (src/config/config.ts)
  MAX_IN_FLIGHT_PER_CLIENT: int(1, 10_000_000).optional(),
  IDEMPOTENCY_WINDOW_S: int(1, 86_400).default(300),
  IDEMPOTENCY_MAX_ENTRIES: int(1, 10_000_000).default(100_000),
  IDEMPOTENCY_MAX_BYTES: int(1024, 4 * 1024 * 1024 * 1024).default(64 * 1024 * 1024),
  // Status view, real-time streams and topic tail (docs/status.md)
  STATUS_TOPIC_CREATE: bool.default(true),
  STATUS_TOPIC_PARTITIONS: int(1, 10_000).default(3),
  STATUS_MAX_ENTRIES: int(1, 10_000_000).default(100_000),
  STATUS_RETENTION_S: int(1, 365 * 86_400).default(86_400),
  STATUS_HISTORY_MAX: int(1, 1000).default(50),
  STREAMS_MAX_OPEN: int(0, 1_000_000).default(1000),
  STREAMS_MAX_PER_CLIENT: int(0, 1_000_000).default(20),
  SUBSCRIPTIONS_MAX: int(1, 10_000).default(100),
  STREAM_HEARTBEAT_S: int(1, 3600).default(15),
  STREAM_MAX_BUFFER_BYTES: int(1024, 256 * 1024 * 1024).default(1024 * 1024),
  TAIL_MAX_CONCURRENT: int(0, 10_000).default(10),
  // One client's tails (its name with keys, else its address), below the gateway-wide cap; and how fast it may open them
  TAIL_MAX_PER_CLIENT: int(1, 10_000).default(3),
  TAIL_OPEN_PER_S: z.coerce.number().positive().max(10_000).default(2),
  TAIL_OPEN_BURST: int(1, 10_000).default(10),
  TAIL_IDLE_TIMEOUT_S: int(1, 86_400).default(300),
  // NDJSON streaming on /produce/batch (README "Streaming produce"): the in-flight window and open streams
  NDJSON_MAX_IN_FLIGHT: int(1, 1_000_000).default(1000),
  NDJSON_MAX_IN_FLIGHT_BYTES: int(1024, 1024 * 1024 * 1024).default(16 * 1024 * 1024),
  // 8 × 1000: the streams' windows together fit in MAX_IN_FLIGHT (checked at start-up)
  NDJSON_STREAMS_MAX_OPEN: int(1, 10_000).default(8),
  // A stream past its client's rate limit stops being read; lines still unpaid after this long are answered 429
  NDJSON_RATE_LIMIT_WAIT_MS: int(0, 3_600_000).default(30_000),
  // The longest a request's headers may take to arrive (Node's headersTimeout): beyond, 408 JSON
  HTTP_HEADERS_TIMEOUT_MS: int(1000, 3_600_000).default(10_000),
  // The longest a request body may take to arrive, from the request's start (0 = no limit): beyond, 408 JSON.
  // NDJSON streams are exempt while data flows: for them it bounds the wait for the next data.
  HTTP_REQUEST_TIMEOUT_MS: int(0, 86_400_000).default(30_000),
  // Signed webhooks on terminal statuses (docs/webhooks.md). No URL = no webhooks.
  WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').max(4096).optional(),
  WEBHOOK_SECRET_FILE: z.string().min(1).optional(),
  WEBHOOK_MAX_ATTEMPTS: int(1, 100).default(6),
  WEBHOOK_TIMEOUT_MS: int(100, 300_000).default(5_000),
  WEBHOOK_BACKOFF_BASE_MS: int(1, 600_000).default(500),
  WEBHOOK_BACKOFF_MAX_MS: int(1, 3_600_000).default(30_000),
  WEBHOOK_QUEUE_MAX: int(1, 1_000_000).default(10_000),
  WEBHOOK_CONCURRENCY: int(1, 256).default(4),
  WEBHOOK_CONSUMER_GROUP: z.string().min(1).max(255).default('kgate-webhooks'),
  WEBHOOK_MAX_EVENT_AGE_S: int(0, 30 * 24 * 3600).default(3600),
  // Schema Registry value formats (docs/schemas.md). Cross-checks and the _FILE variants: src/config/schema-registry-settings.ts.
  SCHEMA_REGISTRY_URL: z.url({ protocol: /^https?$/, error: 'expected the http(s) base of a Confluent-compatible API, e.g. http://registry:8080/apis/ccompat/v7' }).optional(),
  SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: z.string().regex(/^[^:]+:.*$/, 'expected user:password').optional(),
  SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE: z.string().min(1).optional(),
  SCHEMA_REGISTRY_BEARER_TOKEN: z.string().min(1).optional(),
  SCHEMA_REGISTRY_BEARER_TOKEN_FILE: z.string().min(1).optional(),
  SCHEMA_REGISTRY_CA_LOCATION: z.string().min(1).optional(),
  SCHEMA_REGISTRY_CACHE_TTL_S: int(1, 86_400).default(300),
  SCHEMA_REGISTRY_TIMEOUT_MS: int(100, 60_000).default(3_000),
  SCHEMA_REGISTRY_SUBJECT_NAME_STRATEGY: z.enum(['TopicNameStrategy', 'RecordNameStrategy', 'TopicRecordNameStrategy']).default('TopicNameStrategy'),
  TOPIC_VALUE_FORMATS: z.string().optional(),
  // Tracing (docs/observability.md "Tracing"): the standard OTEL_* variables, src/config/otel-env.ts.
  ...otelEnv,
});

export type Env = z.infer<typeof envSchema>;

function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}
