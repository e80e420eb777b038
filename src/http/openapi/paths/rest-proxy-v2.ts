import type { OperationObject, PathsObject, ResponseObject, SchemaObject } from 'openapi3-ts/oas31';
import { errorResponse } from '../responses.js';
import type { DocumentContext } from '../context.js';
import { TOPIC_PATTERN } from './produce.js';

// POST /topics/{topic} as Confluent REST Proxy v2 and Strimzi Kafka Bridge describe it (their
// public documents: test/fixtures/openapi/); the shapes are theirs, kgate adds `code`.

const ANSWER_TYPES = ['application/vnd.kafka.v2+json', 'application/json'];

type Format = 'json' | 'binary' | 'text' | 'avro' | 'jsonschema' | 'protobuf';
const SCHEMA_FORMATS = ['avro', 'jsonschema', 'protobuf'] as const;

const record = (format: Format, limits: DocumentContext['limits']): SchemaObject => {
  const schemaFormat = (SCHEMA_FORMATS as readonly string[]).includes(format);
  const bytes: SchemaObject = format === 'binary' ? { type: 'string', contentEncoding: 'base64' } : format === 'text' ? { type: 'string' } : {};
  const key: SchemaObject = schemaFormat ? { type: 'string', description: `A plain string, written as UTF-8 (schema-typed keys are not supported); at most ${limits.keyBytes} bytes.` } : { ...bytes, description: `The record key (${format}); at most ${limits.keyBytes} bytes.` };
  return {
    type: 'object',
    additionalProperties: false,
    required: ['value'],
    properties: {
      key,
      value: {
        ...bytes,
        not: { type: 'null' },
        description: schemaFormat
          ? `The value as JSON, encoded with the registry schema of the topic, whose value format (TOPIC_VALUE_FORMATS) must be ${format}.`
          : `The record value (${format}); null (a tombstone) is not supported.`,
      },
      partition: { type: 'integer', minimum: 0, maximum: 2_147_483_647 },
      timestamp: { type: 'integer', minimum: 0, description: 'Milliseconds since the epoch (the Bridge\'s field).' },
      headers: {
        type: 'array',
        maxItems: limits.headersCount,
        description: 'The Bridge\'s record headers; names starting with "kgate-" are the gateway\'s.',
        items: { type: 'object', required: ['key', 'value'], properties: { key: { type: 'string', minLength: 1 }, value: { type: 'string', contentEncoding: 'base64' } } },
      },
    },
  };
};

const recordList = (format: Format, limits: DocumentContext['limits']): SchemaObject => ({
  type: 'object',
  required: ['records'],
  properties: {
    records: { type: 'array', minItems: 1, maxItems: limits.batchItems, items: record(format, limits) },
    ...((SCHEMA_FORMATS as readonly string[]).includes(format)
      ? {
          value_schema_id: { type: 'integer', minimum: 1, description: 'Pins a version of the topic\'s subject by its id; absent: the latest version.' },
          value_schema: { type: 'null', description: 'Inline schemas are refused (422): kgate uses only schemas the registry holds.' },
          key_schema: { type: 'null', description: 'Schema-typed keys are refused (422).' },
          key_schema_id: { type: 'null', description: 'Schema-typed keys are refused (422).' },
        }
      : {}),
  },
});

/** The REST Proxy's error body; `code` is kgate's error code. */
const restError: SchemaObject = {
  type: 'object',
  required: ['error_code', 'message'],
  properties: { error_code: { type: 'integer' }, message: { type: 'string' }, code: { type: 'string' } },
};

const offsets: SchemaObject = {
  type: 'object',
  required: ['offsets'],
  properties: {
    key_schema_id: { type: 'null' },
    value_schema_id: { type: ['integer', 'null'], description: 'The registry schema id the values were encoded with (a topic with a registry value format), else null.' },
    offsets: {
      type: 'array',
      description: 'One entry per record, in record order.',
      items: {
        anyOf: [
          { type: 'object', required: ['partition', 'offset'], properties: { partition: { type: 'integer' }, offset: { type: ['integer', 'null'] }, error_code: { type: 'null' }, error: { type: 'null' } } },
          { type: 'object', required: ['error_code', 'error'], properties: { partition: { type: 'null' }, offset: { type: 'null' }, error_code: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } } },
        ],
      },
    },
  },
};

const requestId = { 'X-Request-Id': { $ref: '#/components/headers/XRequestId' } };
const retryAfter = { 'Retry-After': { description: 'On 503 and 504, and on a 200 where a record failed for a retriable reason.', schema: { type: 'string' as const, pattern: '^[0-9]+$' } } };
const replayed = { 'Idempotent-Replayed': { $ref: '#/components/headers/IdempotentReplayed' } };

function restResponse(description: string, schema: SchemaObject, extra: ResponseObject['headers'] = {}): ResponseObject {
  return { description, headers: { ...requestId, ...extra }, content: Object.fromEntries(ANSWER_TYPES.map((t) => [t, { schema }])) };
}

/** src/http/dialects/rest-proxy/routes.ts. */
export function restProxyV2Paths(ctx: DocumentContext): PathsObject {
  const post: OperationObject = {
    tags: ['dialects'],
    operationId: 'produceRestProxyV2',
    summary: 'Produce records as Confluent REST Proxy v2 and Strimzi Kafka Bridge do',
    description:
      'The json, binary (base64) and text (the Bridge\'s) embedded formats, and the schema formats (avro, jsonschema, protobuf: JSON values encoded with the registry ' +
      'schema of a topic with that value format; else 422 VALUE_FORMAT_MISMATCH). Answered once every record has its outcome: 200 with one `offsets` entry per record ' +
      '(a record refused by the topic\'s schema fails alone, with its error_code). An invalid record list is refused whole (422). ' +
      'Errors use the REST Proxy\'s `{"error_code", "message"}`; authentication and rate-limit refusals keep kgate\'s shape. See docs/dialects.md.',
    parameters: [
      { $ref: '#/components/parameters/XRequestId' },
      { name: 'topic', in: 'path', required: true, schema: { type: 'string', pattern: TOPIC_PATTERN } },
      { $ref: '#/components/parameters/IdempotencyKey' },
    ],
    requestBody: {
      required: true,
      content: {
        'application/vnd.kafka.json.v2+json': { schema: recordList('json', ctx.limits) },
        'application/vnd.kafka.binary.v2+json': { schema: recordList('binary', ctx.limits) },
        'application/vnd.kafka.text.v2+json': { schema: recordList('text', ctx.limits) },
        'application/vnd.kafka.avro.v2+json': { schema: recordList('avro', ctx.limits) },
        'application/vnd.kafka.jsonschema.v2+json': { schema: recordList('jsonschema', ctx.limits) },
        'application/vnd.kafka.protobuf.v2+json': { schema: recordList('protobuf', ctx.limits) },
      },
    },
    responses: {
      200: restResponse('Every record has its outcome: partition and offset, or error_code and error.', offsets, { ...retryAfter, ...replayed }),
      400: restResponse('The body is not JSON.', restError),
      404: restResponse('The topic does not exist (error_code 40401).', restError, replayed),
      406: restResponse('Accept allows none of the answer types.', restError),
      413: restResponse('Body or record list too large.', restError),
      415: restResponse('Not one of the embedded formats.', restError),
      422: restResponse('The record list is invalid (error_code 42206, or the HTTP status).', restError, replayed),
      403: restResponse('This client may not write the topic (error_code 40301).', restError, replayed),
      500: errorResponse(500),
      503: restResponse('Nothing written, every record for one retriable reason (error_code 50003).', restError, retryAfter),
      504: restResponse('Every record\'s outcome unknown (error_code 50003): retry only with the same Idempotency-Key.', restError, { ...retryAfter, ...replayed }),
    },
  };
  return { '/topics/{topic}': { post } };
}
