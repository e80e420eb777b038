// The one table of failures a client can see: code → HTTP status, whether retrying the same
// request may succeed, and the default human detail. docs/errors.md is kept in step by a test.
export const errorCodes = {
  INVALID_JSON: { status: 400, retriable: false, detail: 'request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retriable: false, detail: 'Content-Type must be application/json' },
  UNSUPPORTED_ENCODING: { status: 415, retriable: false, detail: 'unsupported content encoding or charset' },
  BODY_TOO_LARGE: { status: 413, retriable: false, detail: 'request body exceeds the size limit' },
  BATCH_TOO_LARGE: { status: 413, retriable: false, detail: 'batch exceeds the item limit' },
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
  TOPIC_NOT_REGISTERED: { status: 400, retriable: false, detail: 'topic has no registered schema and unregistered topics are refused' },
  NOT_FOUND: { status: 404, retriable: false, detail: 'no such route' },
  METHOD_NOT_ALLOWED: { status: 405, retriable: false, detail: 'method not allowed on this route' },
  KAFKA_UNAVAILABLE: { status: 503, retriable: true, detail: 'Kafka cluster is not reachable' },
  QUEUE_FULL: { status: 503, retriable: true, detail: 'producer queue is full, retry later' },
  SHUTTING_DOWN: { status: 503, retriable: true, detail: 'gateway is shutting down' },
  DELIVERY_TIMEOUT: {
    status: 504,
    retriable: true,
    detail: 'broker did not acknowledge within the delivery timeout; the message may or may not have been written',
  },
  KAFKA_ERROR: { status: 502, retriable: true, detail: 'the broker refused the message' },
  INTERNAL: { status: 500, retriable: false, detail: 'internal error' },
  TOO_MANY_STREAMS: { status: 429, retriable: true, detail: 'too many NDJSON streams are open; retry later' },
} as const satisfies Record<string, { status: number; retriable: boolean; detail: string }>;

export type ErrorCode = keyof typeof errorCodes;
