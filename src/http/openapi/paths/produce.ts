import type { PathsObject, SchemaObject } from 'openapi3-ts/oas31';
import { RESERVED_HEADER_PREFIX } from '../../../pipeline/enrich.js';
import { errorBodySchema } from '../components.js';
import type { DocumentContext } from '../context.js';
import { jsonResponse, operation } from '../responses.js';

const MAX_PARTITION = 2_147_483_647;
// Kafka's topic rule (src/pipeline/topic-name.ts), without look-ahead so every tool can read it.
const TOPIC_PATTERN = '^[a-zA-Z0-9._-]{1,249}$';

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
    },
  };
}

const delivered: SchemaObject = {
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

const batchResult: SchemaObject = {
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

/** src/http/routes/produce.ts. */
export function producePaths(ctx: DocumentContext): PathsObject {
  const item = produceItem(ctx);
  const idempotency = [{ $ref: '#/components/parameters/IdempotencyKey' }, { $ref: '#/components/parameters/PreferRespondAsync' }];
  return {
    '/produce': {
      post: operation({
        tags: ['produce'],
        operationId: 'produce',
        summary: 'Produce one message and wait for the broker acknowledgement (acks=all)',
        parameters: idempotency,
        requestBody: { required: true, content: { 'application/json': { schema: item } } },
        responses: { 200: jsonResponse('Delivered: the partition and offset the broker acknowledged.', delivered) },
        errors: [400, 403, 404, 413, 415, 502, 504],
      }),
    },
    '/produce/batch': {
      post: operation({
        tags: ['produce'],
        operationId: 'produceBatch',
        summary: 'Produce several messages; each item gets its own result',
        parameters: idempotency,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { type: 'array', minItems: 1, maxItems: ctx.limits.batchItems, items: item, description: `At most ${ctx.limits.batchItems} items (BATCH_MAX_ITEMS).` },
            },
          },
        },
        responses: {
          200: jsonResponse('Every item was delivered.', batchResult),
          207: jsonResponse('Some items failed (or all, for reasons that are not retriable); see results[].', batchResult),
          502: batchAllFailed('KAFKA_ERROR'),
          503: batchAllFailed('KAFKA_UNAVAILABLE, QUEUE_FULL, SHUTTING_DOWN'),
          504: batchAllFailed('DELIVERY_TIMEOUT'),
        },
        errors: [400, 413, 415, 502, 504],
      }),
    },
  };
}
