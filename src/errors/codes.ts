// The one table of failures a client can see: code → HTTP status, whether retrying the same
// request may succeed, and the default human detail. docs/errors.md is kept in step by a test.
export const errorCodes = {
  INVALID_JSON: { status: 400, retriable: false, detail: 'request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retriable: false, detail: 'Content-Type must be application/json' },
  NOT_ACCEPTABLE: { status: 406, retriable: false, detail: 'the Accept header allows none of the media types this route answers with' },
  UNSUPPORTED_ENCODING: { status: 415, retriable: false, detail: 'unsupported charset: bodies are UTF-8' },
  UNSUPPORTED_CONTENT_ENCODING: { status: 415, retriable: false, detail: 'the body\'s Content-Encoding is not one the gateway decodes (gzip, deflate, br, zstd; none for NDJSON streams)' },
  BODY_TOO_LARGE: { status: 413, retriable: false, detail: 'request body exceeds the size limit' },
  BATCH_TOO_LARGE: { status: 413, retriable: false, detail: 'batch exceeds the item limit' },
  INVALID_UTF8: { status: 400, retriable: false, detail: 'request body is not valid UTF-8: it would not be written as sent' },
  NUMBER_NOT_EXACT: {
    status: 400,
    retriable: false,
    detail: 'a number cannot be written exactly as a 64-bit float (beyond ±2^53, out of range, or too many digits); send it as a string',
  },
  INVALID_BODY: { status: 400, retriable: false, detail: 'request body has the wrong shape' },
  EMPTY_BATCH: { status: 400, retriable: false, detail: 'batch must contain at least one item' },
  MISSING_FIELD: { status: 400, retriable: false, detail: 'a required field is missing' },
  INVALID_FIELD: { status: 400, retriable: false, detail: 'a field has an invalid value' },
  INVALID_TOPIC: { status: 400, retriable: false, detail: 'topic name is not a legal Kafka topic name' },
  INVALID_KEY: { status: 400, retriable: false, detail: 'key must be a string within the size limit' },
  INVALID_PARTITION: { status: 400, retriable: false, detail: 'partition must be a non-negative integer' },
  UNKNOWN_TOPIC: { status: 404, retriable: false, detail: 'the topic does not exist and the cluster does not create topics on demand' },
  UNKNOWN_PARTITION: { status: 400, retriable: false, detail: 'the topic has no such partition' },
  INVALID_HEADERS: { status: 400, retriable: false, detail: 'headers must be an object of string values' },
  MESSAGE_TOO_LARGE: { status: 413, retriable: false, detail: 'message exceeds the broker or producer size limit' },
  MESSAGE_TOO_DEEP: { status: 400, retriable: false, detail: 'message nests objects or arrays deeper than the limit' },
  SCHEMA_VALIDATION_FAILED: { status: 400, retriable: false, detail: "message does not match its topic's schema; see errors" },
  UNKNOWN_SCHEMA_VERSION: { status: 400, retriable: false, detail: 'message pins a schema version ($schema) its topic does not have' },
  VALUE_NOT_JSON: { status: 400, retriable: false, detail: 'the topic has a schema and the value is not JSON (a CloudEvent of another content type, REST Proxy bytes)' },
  TOPIC_NOT_REGISTERED: { status: 400, retriable: false, detail: 'topic has no registered schema and unregistered topics are refused' },
  // Schema Registry value formats (src/serdes/, docs/schemas.md)
  VALUE_DOES_NOT_FIT_SCHEMA: { status: 422, retriable: false, detail: "message does not fit the registry schema of its topic's subject; see errors" },
  UNKNOWN_SUBJECT: { status: 422, retriable: false, detail: 'the schema registry has no subject for this topic' },
  UNKNOWN_SCHEMA: { status: 422, retriable: false, detail: 'the pinned schema_id or schema_version is not a version of the subject' },
  SCHEMA_REGISTRY_UNAVAILABLE: { status: 503, retriable: true, detail: 'the schema registry does not answer and the subject is not cached; not written, retry later' },
  VALUE_FORMAT_MISMATCH: { status: 422, retriable: false, detail: "the record's value is schema-typed (REST Proxy AVRO, JSONSCHEMA, PROTOBUF) and the topic's registry value format is another one, or none" },
  SCHEMA_UNUSABLE: { status: 500, retriable: false, detail: "the registry's schema cannot be used for this topic's value format (see the gateway log)" },
  NOT_FOUND: { status: 404, retriable: false, detail: 'no such route' },
  METHOD_NOT_ALLOWED: { status: 405, retriable: false, detail: 'method not allowed on this route' },
  KAFKA_UNAVAILABLE: { status: 503, retriable: true, detail: 'Kafka cluster is not reachable' },
  QUEUE_FULL: { status: 503, retriable: true, detail: 'producer queue is full, retry later' },
  SHUTTING_DOWN: { status: 503, retriable: true, detail: 'gateway is shutting down' },
  OVERLOADED: { status: 503, retriable: true, detail: 'too many messages in flight (MAX_IN_FLIGHT); not written, retry later' },
  DELIVERY_OUTCOME_UNKNOWN: {
    status: 504,
    retriable: true,
    detail: 'handed to Kafka but not confirmed in time: the message may or may not be written; retry only with the same Idempotency-Key',
  },
  RECORD_REJECTED: { status: 422, retriable: false, detail: 'the broker refused the record (invalid record, policy, authorisation); it was not written' },
  INVALID_IDEMPOTENCY_KEY: { status: 400, retriable: false, detail: 'Idempotency-Key must be 1-255 printable ASCII characters' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, retriable: false, detail: 'this Idempotency-Key was used with a different request body or route' },
  // Before the routes: what Node's HTTP parser and the timeouts refuse (src/http/client-error.ts, middleware/body-timeout.ts)
  MALFORMED_REQUEST: { status: 400, retriable: false, detail: 'the request is not valid HTTP/1.1 (or an HTTP/1.0 body without Content-Length)' },
  HEADERS_TOO_LARGE: { status: 431, retriable: false, detail: 'request headers exceed the size limit (16 KiB, Node.js --max-http-header-size)' },
  REQUEST_TIMEOUT: { status: 408, retriable: true, detail: 'the request did not arrive in time (HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS)' },
  INTERNAL: { status: 500, retriable: false, detail: 'internal error' },
  // Clients → gateway (src/access/, docs/security.md)
  AUTH_REQUIRED: { status: 401, retriable: false, detail: 'this gateway requires an API key (Authorization: Bearer <key> or X-API-Key) or a signed request' },
  INVALID_API_KEY: { status: 401, retriable: false, detail: 'the API key is not known to this gateway' },
  SIGNATURE_MALFORMED: {
    status: 401,
    retriable: false,
    detail: 'a signed request needs X-Kgate-Client: <name> and X-Kgate-Signature: t=<unix seconds>,v1=<64 hex digits>',
  },
  UNKNOWN_CLIENT: { status: 401, retriable: false, detail: 'X-Kgate-Client names no client with an hmac_secret' },
  SIGNATURE_EXPIRED: { status: 401, retriable: false, detail: 'the signature timestamp is outside the accepted window; sign again with the current time' },
  SIGNATURE_INVALID: { status: 401, retriable: false, detail: 'the signature does not match the request body' },
  INVALID_TOKEN: { status: 401, retriable: false, detail: 'the bearer token is not valid for this gateway (signature, issuer, audience, algorithm or claims)' },
  TOKEN_EXPIRED: { status: 401, retriable: false, detail: 'the bearer token has expired; get a new one from the identity provider' },
  QUERY_TOKEN_REFUSED: {
    status: 400,
    retriable: false,
    detail: 'access_token in the query string is accepted only on the SSE and WebSocket routes; send Authorization: Bearer <token>',
  },
  AUTH_UNAVAILABLE: { status: 503, retriable: true, detail: "the identity provider's keys cannot be fetched now, so the token cannot be checked; retry later" },
  TOPIC_FORBIDDEN: { status: 403, retriable: false, detail: 'this client may not write to this topic' },
  RATE_LIMITED: { status: 429, retriable: true, detail: 'rate limit reached; retry after the time in Retry-After' },
  // Status lookup, real-time streams and topic tail (docs/status.md)
  INVALID_REQUEST_ID: { status: 400, retriable: false, detail: 'request id must be 1-128 characters of A-Z a-z 0-9 . _ : -' },
  SUBMISSION_NOT_FOUND: { status: 404, retriable: false, detail: 'no status for this request id: never seen, or expired from the status view' },
  SUBMISSION_EXISTS: {
    status: 409,
    retriable: false,
    detail: 'a submission with this request id exists already: submission ids are never reused; send another X-Request-Id, or none',
  },
  STATUS_NOT_READY: { status: 503, retriable: true, detail: 'the status view is still being rebuilt from the status topic' },
  TOO_MANY_STREAMS: { status: 503, retriable: true, detail: 'the gateway has as many open streams as it allows' },
  TOO_MANY_CLIENT_STREAMS: { status: 429, retriable: true, detail: 'this client has as many open streams as it is allowed' },
  TOO_MANY_TAILS: { status: 503, retriable: true, detail: 'the gateway has as many topic tails open as it allows' },
  TOO_MANY_CLIENT_TAILS: { status: 429, retriable: true, detail: 'this client has as many topic tails open as it is allowed (TAIL_MAX_PER_CLIENT)' },
  INVALID_OFFSET: { status: 400, retriable: false, detail: 'from must be latest, earliest or a non-negative integer offset' },
  TOO_MANY_NDJSON_STREAMS: { status: 429, retriable: true, detail: 'too many NDJSON streams are open; retry later' },
  UPGRADE_REQUIRED: { status: 426, retriable: false, detail: 'this is a WebSocket endpoint: send the handshake (Connection: Upgrade, Upgrade: websocket)' },
} as const satisfies Record<string, { status: number; retriable: boolean; detail: string }>;

export type ErrorCode = keyof typeof errorCodes;

/**
 * Statuses whose answers say when to retry (Retry-After): those of the retriable server-side codes
 * (503: not written, retry; 504: outcome unknown, retry with the same Idempotency-Key). 429 carries
 * its own Retry-After from the rate limiter. Every writer of answers and of the API document asks here.
 */
export const RETRY_AFTER_STATUSES: readonly number[] = [
  ...new Set(Object.values(errorCodes).filter((c) => c.retriable && c.status >= 500).map((c) => c.status as number)),
].sort();

export function carriesRetryAfter(status: number): boolean {
  return RETRY_AFTER_STATUSES.includes(status);
}
