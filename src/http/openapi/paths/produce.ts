import type { OperationObject, PathsObject, ResponseObject, SchemaObject } from 'openapi3-ts/oas31';
import { RESERVED_HEADER_PREFIX } from '../../../pipeline/enrich.js';
import { errorBodySchema } from '../components.js';
import type { DocumentContext } from '../context.js';
import { jsonResponse, operation } from '../responses.js';

const MAX_PARTITION = 2_147_483_647;
// Kafka's topic rule (src/pipeline/topic-name.ts), without look-ahead so every tool can read it.
export const TOPIC_PATTERN = '^[a-zA-Z0-9._-]{1,249}$';

/** "kgate-" → "^[kK][gG][aA][tT][eE]-": the portable subset of regular expressions has no inline flags. */
function caseInsensitivePrefix(prefix: string): string {
  return `^${[...prefix].map((c) => (c.toLowerCase() === c.toUpperCase() ? c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : `[${c.toLowerCase()}${c.toUpperCase()}]`)).join('')}`;
}

function produceItem(ctx: DocumentContext): SchemaObject {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['topic', 'message'],
    examples: [{ topic: 'user-events', key: 'user-42', message: { event: 'signup', user_id: 42 }, headers: { 'trace-id': 'abc123' } }],
    properties: {
      topic: {
        type: 'string',
        pattern: TOPIC_PATTERN,
        not: { anyOf: [{ pattern: '^__' }, { enum: ['.', '..'] }] },
        description: 'A legal Kafka topic name; names starting with "__" are Kafka\'s own.',
      },
      message: {
        not: { type: 'null' },
        description: "Any JSON value except null. On a topic with a registered schema it must match it (GET /schemas).",
      },
      key: {
        type: ['string', 'null'],
        maxLength: ctx.limits.keyBytes,
        description: `Record key, at most ${ctx.limits.keyBytes} bytes (KEY_MAX_BYTES) in UTF-8.`,
      },
      partition: { type: ['integer', 'null'], minimum: 0, maximum: MAX_PARTITION, description: 'Partition; the partitioner picks one when absent.' },
      headers: {
        type: ['object', 'null'],
        maxProperties: ctx.limits.headersCount,
        propertyNames: { minLength: 1, maxLength: 255, not: { pattern: caseInsensitivePrefix(RESERVED_HEADER_PREFIX) } },
        additionalProperties: { type: 'string' },
        description: `Record headers, string values of at most ${ctx.limits.headerValueBytes} bytes (HEADER_VALUE_MAX_BYTES); names starting with "${RESERVED_HEADER_PREFIX}" are the gateway's.`,
      },
      schema_id: {
        type: 'integer',
        minimum: 1,
        maximum: MAX_PARTITION,
        description: 'Topics with a registry value format (TOPIC_VALUE_FORMATS): encode with this registry schema id, which must be a version of the subject; else the latest version. Not with schema_version.',
      },
      schema_version: {
        type: 'integer',
        minimum: 1,
        maximum: MAX_PARTITION,
        description: "Topics with a registry value format: encode with this version of the topic's subject instead of the latest.",
      },
    },
  };
}

export const delivered: SchemaObject = {
  allOf: [{ $ref: '#/components/schemas/Delivery' }],
  type: 'object',
  required: ['success', 'message', 'request_id'],
  properties: {
    success: { const: true },
    message: { type: 'string' },
    request_id: { $ref: '#/components/schemas/RequestId' },
  },
};

const itemResult: SchemaObject = {
  anyOf: [
    {
      allOf: [{ $ref: '#/components/schemas/Delivery' }],
      type: 'object',
      required: ['index', 'success'],
      properties: { index: { type: 'integer', minimum: 0 }, success: { const: true } },
    },
    {
      allOf: [errorBodySchema()],
      type: 'object',
      required: ['index'],
      properties: { index: { type: 'integer', minimum: 0 }, topic: { type: 'string' } },
    },
  ],
};

export const batchResult: SchemaObject = {
  type: 'object',
  required: ['success', 'messages_sent', 'messages_failed', 'request_id', 'results'],
  properties: {
    success: { type: 'boolean', description: 'True when every item was delivered.' },
    messages_sent: { type: 'integer', minimum: 0 },
    messages_failed: { type: 'integer', minimum: 0 },
    request_id: { $ref: '#/components/schemas/RequestId' },
    results: { type: 'array', items: itemResult, description: 'One result per item, in request order.' },
  },
};

const batchAllFailed = (why: string) => jsonResponse(`Nothing was delivered, every item for the same retriable reason (${why}); retry the whole batch.`, batchResult);

const preferenceApplied = { 'Preference-Applied': { description: 'Sent when `Prefer: respond-async` was honoured.', required: true, schema: { const: 'respond-async' } } };

/** 202 (Prefer: respond-async): produce-answers.ts asyncAnswer; the batch form counts the queued items. */
function accepted(batch: boolean): ResponseObject {
  const schema: SchemaObject = {
    type: 'object',
    required: ['success', 'status', 'message', 'request_id', ...(batch ? ['messages_queued'] : [])],
    properties: {
      success: { const: true },
      status: { const: 'queued' },
      message: { type: 'string' },
      ...(batch ? { messages_queued: { type: 'integer', minimum: 1 } } : {}),
      request_id: { $ref: '#/components/schemas/RequestId' },
    },
  };
  const response = jsonResponse(
    `Prefer: respond-async: ${batch ? 'every item was' : 'the message was'} handed to the producer; the broker acknowledgement is not awaited (a later failure is counted and logged, not answered).`,
    schema,
  );
  return { ...response, headers: { ...response.headers, ...preferenceApplied } };
}

/** 207 with respond-async: some items queued, some refused at once (produce-answers.ts asyncAnswer). */
const asyncPartial: SchemaObject = {
  type: 'object',
  required: ['success', 'messages_queued', 'messages_failed', 'request_id', 'results'],
  properties: {
    success: { const: false },
    messages_queued: { type: 'integer', minimum: 1 },
    messages_failed: { type: 'integer', minimum: 1 },
    request_id: { $ref: '#/components/schemas/RequestId' },
    results: {
      type: 'array',
      items: {
        anyOf: [
          { type: 'object', required: ['index', 'status'], properties: { index: { type: 'integer', minimum: 0 }, status: { const: 'queued' } } },
          (itemResult.anyOf as SchemaObject[])[1]!,
        ],
      },
    },
  },
};

/** One line of the streamed NDJSON answer (produce-stream.ts lineResult): a batch item's result with `line` for `index`. */
const lineResult: SchemaObject = {
  description: 'One line of the application/x-ndjson answer: each line of the request gets one result line (in acknowledgement order), naming its line (1-based).',
  anyOf: [
    {
      allOf: [{ $ref: '#/components/schemas/Delivery' }],
      type: 'object',
      required: ['line', 'success'],
      properties: { line: { type: 'integer', minimum: 1 }, success: { const: true } },
    },
    {
      allOf: [errorBodySchema()],
      type: 'object',
      required: ['line'],
      properties: { line: { type: 'integer', minimum: 1 }, topic: { type: 'string' } },
    },
  ],
};

/** Idempotent-Replayed on every answer a key can replay (not 500/503: those are not remembered). */
export function withReplayHeader(op: OperationObject): OperationObject {
  const responses = Object.fromEntries(
    Object.entries(op.responses as Record<string, ResponseObject>).map(([status, response]) => [
      status,
      status === '500' || status === '503' ? response : { ...response, headers: { ...response.headers, 'Idempotent-Replayed': { $ref: '#/components/headers/IdempotentReplayed' } } },
    ]),
  );
  return { ...op, responses };
}

/** With Retry-After (optional): batch answers where some item was refused for a retriable Kafka reason (503/504). */
export function retryAfterOptional(response: ResponseObject): ResponseObject {
  return { ...response, headers: { ...response.headers, 'Retry-After': { description: 'When some item failed with a 503 or 504 code.', schema: { type: 'string', pattern: '^[0-9]+$' } } } };
}

/** src/http/routes/produce.ts (answers: produce-answers.ts; NDJSON: produce-stream.ts). */
export function producePaths(ctx: DocumentContext): PathsObject {
  const item = produceItem(ctx);
  const idempotency = [
    { $ref: '#/components/parameters/IdempotencyKey' },
    { $ref: '#/components/parameters/PreferRespondAsync' },
    { $ref: '#/components/parameters/SchemaVersion' },
  ];
  const partial = retryAfterOptional(jsonResponse('Some items failed (or all, for reasons that are not retriable); see results[]. With respond-async: some items were queued, others refused at once.', { anyOf: [batchResult, asyncPartial] }));
  return {
    '/produce': {
      post: withReplayHeader(
        operation({
          tags: ['produce'],
          operationId: 'produce',
          summary: 'Produce one message and wait for the broker acknowledgement (acks=all)',
          description:
            'A 504 DELIVERY_OUTCOME_UNKNOWN means the message may or may not be written (PRODUCE_DEADLINE_MS): retry only with the same Idempotency-Key. ' +
            '`offset` is null (with `offset_unknown_reason`) when the broker acknowledged without one.',
          parameters: idempotency,
          requestBody: { required: true, content: { 'application/json': { schema: item } } },
          responses: { 200: jsonResponse('Delivered: the partition and offset the broker acknowledged.', delivered), 202: accepted(false) },
          errors: [400, 403, 404, 413, 415, 422, 504],
        }),
      ),
    },
    '/produce/batch': {
      post: withReplayHeader(
        operation({
          tags: ['produce'],
          operationId: 'produceBatch',
          summary: 'Produce several messages; each item gets its own result',
          description:
            `A JSON array (at most ${ctx.limits.batchItems} items), answered once every item has its outcome; or, with \`Content-Type: application/x-ndjson\`, ` +
            'one produce item per line, produced as the lines arrive and answered as a stream of one NDJSON result per line ' +
            '(status 200 and the stream start before the body is read; a line that fails fails alone). ' +
            'Idempotency-Key and respond-async apply to the JSON form only.',
          parameters: idempotency,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { type: 'array', minItems: 1, maxItems: ctx.limits.batchItems, items: item, description: `At most ${ctx.limits.batchItems} items (BATCH_MAX_ITEMS).` },
              },
              'application/x-ndjson': {
                schema: { type: 'string', description: 'One produce item (the JSON form\'s item schema) per line, UTF-8; any number of lines, each at most BODY_MAX_BYTES.' },
              },
            },
          },
          responses: {
            200: {
              ...jsonResponse('Every item was delivered (JSON), or the streamed per-line results (NDJSON).', batchResult),
              content: { 'application/json': { schema: batchResult }, 'application/x-ndjson': { schema: lineResult } },
            },
            202: accepted(true),
            207: partial,
            503: retryAfterOptional(batchAllFailed('KAFKA_UNAVAILABLE, QUEUE_FULL, OVERLOADED, SHUTTING_DOWN')),
            504: retryAfterOptional(batchAllFailed('DELIVERY_OUTCOME_UNKNOWN')),
          },
          errors: [400, 413, 415, 422, 504, 'TOO_MANY_NDJSON_STREAMS'],
        }),
      ),
    },
  };
}
