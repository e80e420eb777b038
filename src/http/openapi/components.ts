import type { ComponentsObject, HeaderObject, ParameterObject, SchemaObject, SecuritySchemeObject } from 'openapi3-ts/oas31';
import { errorCodes, type ErrorCode } from '../../errors/codes.js';
import { STATUSES, TERMINAL_STATUSES } from '../../status/status-event.js';

const ALL_CODES = Object.keys(errorCodes) as ErrorCode[];

/** The codes of the table that answer with this HTTP status, in table order. */
export function codesWithStatus(status: number): ErrorCode[] {
  return ALL_CODES.filter((code) => errorCodes[code].status === status);
}

/** Every status the table can answer with, ascending. */
export function errorStatuses(): number[] {
  return [...new Set(ALL_CODES.map((code) => errorCodes[code].status))].sort((a, b) => a - b);
}

/**
 * The error body of src/http/error-handler.ts. The code enum is read from src/errors/codes.ts at
 * start-up, so the document cannot name a code the gateway does not have, or miss one it has.
 * Extra properties are the error's info (limits, allowed values, schema errors).
 */
export function errorBodySchema(codes: readonly ErrorCode[] = ALL_CODES): SchemaObject {
  return {
    type: 'object',
    required: ['success', 'code', 'detail', 'retriable'],
    properties: {
      success: { const: false },
      code: { type: 'string', enum: [...codes], description: 'Stable machine-readable code; see docs/errors.md.' },
      detail: { type: 'string', description: 'Human-readable explanation; do not parse.' },
      retriable: { type: 'boolean', description: 'Whether sending the same request again may succeed.' },
      field: { type: 'string', description: 'JSON path of the offending field, e.g. "topic" or "headers.x".' },
      request_id: { $ref: '#/components/schemas/RequestId' },
      limit: { type: 'integer', description: 'The limit that was exceeded (items, headers, depth).' },
      limit_bytes: { type: 'integer', description: 'The size limit that was exceeded, in bytes.' },
      kafka_error: { type: 'string', description: "librdkafka's reason, for Kafka failures." },
      schema: { type: 'string', description: 'The $id of the schema a message failed.' },
      errors: {
        type: 'array',
        description: 'Schema validation errors (the first few).',
        items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
      },
      errors_total: { type: 'integer' },
      versions: { type: 'array', description: 'The versions the topic has.' },
    },
    additionalProperties: true,
  };
}

const headers: Record<string, HeaderObject> = {
  XRequestId: {
    description: 'The request id: the caller\'s X-Request-Id when it is 1-128 characters of [A-Za-z0-9._:-], else a new UUID. Also in the record headers and the access log.',
    required: true,
    schema: { $ref: '#/components/schemas/RequestId' },
  },
  RetryAfter: {
    description: 'Seconds to wait before retrying (on 503, and on 429 when rate limits are enabled).',
    required: true,
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  WWWAuthenticate: {
    description: 'The schemes this gateway accepts (RFC 9110): an API key as a bearer token, or a signed request.',
    required: true,
    schema: { type: 'string', examples: ['Bearer realm="kgate", KgateSignature realm="kgate"'] },
  },
  IdempotentReplayed: {
    description: 'Sent (`true`) when this answer is the replay of an earlier request with the same Idempotency-Key; nothing was produced again.',
    required: false,
    schema: { const: 'true' },
  },
  // IETF draft RateLimit header fields, as src/access/rate-limit.ts sends them on every rate-limited route.
  RateLimitLimit: { description: 'The burst: requests (batch items) allowed in the window.', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } },
  RateLimitRemaining: { description: 'Requests (batch items) left in the window.', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } },
  RateLimitReset: { description: 'Seconds until the window resets.', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } },
  RateLimitPolicy: { description: '`<limit>;w=<window seconds>`.', required: true, schema: { type: 'string', pattern: '^[0-9]+;w=[0-9]+$' } },
};

/**
 * Request headers that features on other branches honour. They are declared here once so those
 * operations reference them; each applies only when its feature is enabled.
 */
const parameters: Record<string, ParameterObject> = {
  XRequestId: {
    name: 'X-Request-Id',
    in: 'header',
    required: false,
    // Any value is accepted: one that is not plain is replaced, never refused (a tracing header must not fail a request).
    description: 'Optional caller-chosen request id, echoed and written to the record when it is 1-128 characters of [A-Za-z0-9._:-]; any other value is replaced by a new UUID.',
    schema: { type: 'string' },
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: 'Applies when idempotency keys are enabled: a repeated request with the same key (per client) gets the first answer instead of a second record.',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  },
  SchemaVersion: {
    name: 'X-Kgate-Schema-Version',
    in: 'header',
    required: false,
    description:
      "Topics with a registry value format (TOPIC_VALUE_FORMATS): encode every item of the request with this version of its topic's subject instead of the latest; an item's own schema_id or schema_version wins. Ignored for plain JSON topics.",
    schema: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' },
  },
  PreferRespondAsync: {
    name: 'Prefer',
    in: 'header',
    required: false,
    // A preference, not a demand (RFC 7240): one the gateway does not know is ignored, never refused.
    description: 'Applies when asynchronous answers are enabled: `respond-async` asks for 202 Accepted before the broker acknowledges. Other preferences are ignored.',
    schema: { type: 'string', examples: ['respond-async'] },
  },
};

/** The client authentication schemes (AUTH_KEYS_FILE); they apply only when authentication is enabled. */
const securitySchemes: Record<string, SecuritySchemeObject> = {
  bearerApiKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'API key as `Authorization: Bearer <key>`. Applies when AUTH_KEYS_FILE is set.',
  },
  apiKeyHeader: {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: 'API key in the `X-API-Key` header. Applies when AUTH_KEYS_FILE is set.',
  },
  bearerJwt: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A JWT from the identity provider (AUTH_JWT_ISSUER or AUTH_JWT_JWKS_URL) as `Authorization: Bearer <token>`: checked for signature, iss, aud, exp, nbf and algorithm; its claims name the client and its topics. A bearer value in JWS compact form is read as a token, anything else as an API key. On the SSE and WebSocket routes only, the token may also come as `?access_token=` or the WebSocket subprotocols `access_token, <token>`.',
  },
  hmacClient: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Kgate-Client',
    description: "HMAC-signed requests, part 1: the client's name. Send together with X-Kgate-Signature. Applies when the client's entry has hmac_secret.",
  },
  hmacSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Kgate-Signature',
    description: 'HMAC-signed requests, part 2: `t=<unix seconds>,v1=<hex HMAC-SHA256(hmac_secret, "<t>.<raw body>")>`, within HMAC_TOLERANCE_S of the gateway clock.',
  },
};

const schemas: Record<string, SchemaObject> = {
  RequestId: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' },
  ErrorBody: errorBodySchema(),
  Runtime: { type: 'object', required: ['node'], properties: { node: { type: 'string' } } },
  Delivery: {
    type: 'object',
    description: 'Where the broker stored the record (acks=all).',
    required: ['topic', 'partition', 'offset', 'timestamp'],
    properties: {
      topic: { type: 'string' },
      partition: { type: 'integer', minimum: 0 },
      offset: { type: ['integer', 'null'], minimum: 0, description: 'null when the broker acknowledged without an offset (e.g. a retried idempotent send in a leader failover); offset_unknown_reason says why.' },
      offset_unknown_reason: { type: 'string', description: 'Present only when offset is null.' },
      timestamp: { type: 'string', format: 'date-time' },
    },
  },
  // schemas/code-execution-status/1.0.0.json as the gateway pushes it (src/status/status-event.ts).
  StatusEvent: {
    type: 'object',
    description: 'A change of status of one submission, as published to the status topic (docs/status.md).',
    additionalProperties: false,
    required: ['request_id', 'status', 'updated_at'],
    properties: {
      request_id: { $ref: '#/components/schemas/RequestId' },
      status: { type: 'string', enum: [...STATUSES], description: `Terminal: ${[...TERMINAL_STATUSES].join(', ')}.` },
      detail: { type: 'string' },
      output: { type: 'string' },
      error_output: { type: 'string' },
      execution_time: { type: 'number', description: 'Seconds.' },
      memory_usage: { type: 'number', description: 'Kilobytes.' },
      updated_at: { type: 'string', description: 'RFC 3339 time of the change.' },
    },
  },
};

export const components: ComponentsObject = { schemas, headers, parameters, securitySchemes };
