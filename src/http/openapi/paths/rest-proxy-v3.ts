import type { OperationObject, PathsObject, ResponseObject, SchemaObject } from 'openapi3-ts/oas31';
import type { DocumentContext } from '../context.js';
import { errorResponse } from '../responses.js';
import { TOPIC_PATTERN } from './produce.js';

// Confluent REST Proxy v3's cluster and produce operations as kgate serves them (their public
// document: test/fixtures/openapi/); kgate adds `code` to error bodies.

const requestId = { 'X-Request-Id': { $ref: '#/components/headers/XRequestId' } };
const v3Error: SchemaObject = { type: 'object', required: ['error_code', 'message'], properties: { error_code: { type: 'integer' }, message: { type: 'string' }, code: { type: 'string' } } };
const related: SchemaObject = { type: 'object', required: ['related'], properties: { related: { type: 'string' } } };
const clusterData: SchemaObject = {
  type: 'object',
  required: ['kind', 'metadata', 'cluster_id', 'acls', 'brokers', 'broker_configs', 'consumer_groups', 'topics', 'partition_reassignments'],
  properties: {
    kind: { const: 'KafkaCluster' },
    metadata: { type: 'object', required: ['self'], properties: { self: { type: 'string' }, resource_name: { type: 'string' } } },
    cluster_id: { type: 'string' },
    controller: related,
    acls: related,
    brokers: related,
    broker_configs: related,
    consumer_groups: related,
    topics: related,
    partition_reassignments: related,
  },
};
const data: SchemaObject = {
  type: ['object', 'null'],
  required: ['type', 'size'],
  properties: {
    type: { type: ['string', 'null'] },
    size: { type: 'integer', description: 'Bytes of the data as sent (JSON text for JSON and the schema types).' },
    schema_id: { type: 'integer', description: 'The registry schema the value was encoded with (a topic with a registry value format).' },
  },
};
const produceResult: SchemaObject = {
  type: 'object',
  required: ['error_code'],
  properties: {
    error_code: { type: 'integer', description: '200 when written; else the HTTP status of the failure.' },
    message: { type: 'string' },
    code: { type: 'string', description: "kgate's error code, on a failure." },
    cluster_id: { type: 'string' },
    topic_name: { type: 'string' },
    partition_id: { type: 'integer' },
    offset: { type: ['integer', 'null'] },
    timestamp: { type: 'string', format: 'date-time' },
    key: data,
    value: data,
  },
};
const recordData: SchemaObject = {
  type: 'object',
  properties: {
    type: {
      enum: ['JSON', 'BINARY', 'STRING', 'AVRO', 'JSONSCHEMA', 'PROTOBUF'],
      description:
        'AVRO, JSONSCHEMA, PROTOBUF (values only): data is JSON, encoded with the registry schema of the topic\'s value format (TOPIC_VALUE_FORMATS), ' +
        'which must be that type (else 422 VALUE_FORMAT_MISMATCH). A schema-typed key is refused (400).',
    },
    data: {},
    schema_id: { type: ['integer', 'null'], minimum: 1, description: 'Pins a version of the topic\'s subject by its id.' },
    schema_version: { type: ['integer', 'null'], minimum: 1, description: 'Pins a version of the topic\'s subject.' },
    subject: { type: ['string', 'null'], description: 'Accepted when it is the subject kgate uses for the topic.' },
    subject_name_strategy: { enum: ['TOPIC_NAME', 'RECORD_NAME', 'TOPIC_RECORD_NAME', null], description: 'Accepted when it is SCHEMA_REGISTRY_SUBJECT_NAME_STRATEGY.' },
    schema: { type: 'null', description: 'Inline schemas are refused (400): kgate uses only schemas the registry holds.' },
  },
};
const recordFields: SchemaObject['properties'] = {
  partition_id: { type: ['integer', 'null'], minimum: 0 },
  headers: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, value: { type: ['string', 'null'], contentEncoding: 'base64' } } } },
  key: { anyOf: [recordData, { type: 'null' }] },
  value: recordData,
  timestamp: { type: ['string', 'null'], format: 'date-time' },
};
const produceRequest: SchemaObject = { type: 'object', required: ['value'], properties: recordFields };
const batchRequest: SchemaObject = {
  type: 'object',
  required: ['entries'],
  properties: {
    entries: {
      type: 'array',
      minItems: 1,
      items: { type: 'object', required: ['id', 'value'], properties: { id: { type: 'string', minLength: 1, maxLength: 80 }, ...recordFields } },
    },
  },
};
const { error_code: _errorCode, ...successFields } = produceResult.properties!;
const batchResult: SchemaObject = {
  type: 'object',
  required: ['successes', 'failures'],
  properties: {
    successes: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, ...successFields } } },
    failures: { type: 'array', items: { type: 'object', required: ['id', 'error_code'], properties: { id: { type: 'string' }, error_code: { type: 'integer' }, message: { type: 'string' }, code: { type: 'string' } } } },
  },
};

const json = (description: string, schema: SchemaObject, extra: ResponseObject['headers'] = {}): ResponseObject => ({
  description,
  headers: { ...requestId, ...extra },
  content: { 'application/json': { schema } },
});
const clusterParam = { name: 'cluster_id', in: 'path' as const, required: true, schema: { type: 'string' as const } };
const errors = (statuses: number[]): Record<string, ResponseObject> =>
  Object.fromEntries(statuses.map((s) => [String(s), json(`Refused (error_code ${s}).`, v3Error, s === 503 || s === 504 ? { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } : {})]));
const op = (o: OperationObject): OperationObject => ({ ...o, tags: ['dialects'], parameters: [{ $ref: '#/components/parameters/XRequestId' }, ...(o.parameters ?? [])] });

/** src/http/dialects/rest-proxy/v3-routes.ts. */
export function restProxyV3Paths(ctx: DocumentContext): PathsObject {
  return {
    '/v3/clusters': {
      get: op({
        operationId: 'listClustersV3',
        summary: 'REST Proxy v3: the Kafka cluster this gateway writes to',
        description: 'Empty when the cluster id could not be read (a TLS or SASL listener; docs/dialects.md).',
        responses: {
          200: json('The cluster list.', { type: 'object', required: ['kind', 'metadata', 'data'], properties: { kind: { const: 'KafkaClusterList' }, metadata: { type: 'object' }, data: { type: 'array', items: clusterData } } }),
          500: errorResponse(500),
          503: errorResponse(503),
        },
      }),
    },
    '/v3/clusters/{cluster_id}': {
      get: op({ operationId: 'getClusterV3', summary: 'REST Proxy v3: one cluster', parameters: [clusterParam], responses: { 200: json('The cluster.', clusterData), ...errors([404]), 500: errorResponse(500), 503: errorResponse(503) } }),
    },
    '/v3/clusters/{cluster_id}/topics/{topic}/records': {
      post: op({
        operationId: 'produceRecordsV3',
        summary: 'REST Proxy v3: produce one record, or stream records (chunked body, one per line)',
        description:
          'With Content-Length: one record, answered with its result and the result\'s error_code as the HTTP status. With Transfer-Encoding: chunked: ' +
          'one record per line, any number, answered 200 with one result line per record as it is acknowledged (application/x-ndjson), ' +
          `with the NDJSON stream's bounds (NDJSON_MAX_IN_FLIGHT, NDJSON_STREAMS_MAX_OPEN, each line at most ${ctx.limits.bodyBytes} bytes).`,
        parameters: [clusterParam, { name: 'topic', in: 'path', required: true, schema: { type: 'string', pattern: TOPIC_PATTERN } }, { $ref: '#/components/parameters/IdempotencyKey' }],
        requestBody: { required: true, content: { 'application/json': { schema: produceRequest } } },
        responses: {
          200: { description: 'Written (one record), or the stream of results.', headers: { ...requestId, 'Idempotent-Replayed': { $ref: '#/components/headers/IdempotentReplayed' } }, content: { 'application/json': { schema: produceResult }, 'application/x-ndjson': { schema: produceResult } } },
          ...errors([400, 403, 404, 413, 415, 422, 504]),
          500: errorResponse(500),
          503: json('Not written: retry (error_code 503).', { anyOf: [v3Error, produceResult] }, { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } }),
        },
      }),
    },
    '/v3/clusters/{cluster_id}/topics/{topic}/records:batch': {
      post: op({
        operationId: 'produceRecordsBatchV3',
        summary: 'REST Proxy v3: produce a batch of records, each with an id; per-entry results',
        description:
          `At most ${ctx.limits.batchItems} entries (BATCH_MAX_ITEMS), ids 1-80 characters and unique. Answered 207 with each entry under successes or failures by its id; ` +
          'a malformed record fails alone. When nothing was written, all for one retriable reason, the request answers that status (503, 504) with Retry-After.',
        parameters: [clusterParam, { name: 'topic', in: 'path', required: true, schema: { type: 'string', pattern: TOPIC_PATTERN } }, { $ref: '#/components/parameters/IdempotencyKey' }],
        requestBody: { required: true, content: { 'application/json': { schema: batchRequest } } },
        responses: {
          207: { description: 'Per-entry results.', headers: { ...requestId, 'Idempotent-Replayed': { $ref: '#/components/headers/IdempotentReplayed' } }, content: { 'application/json': { schema: batchResult } } },
          ...errors([400, 403, 404, 413, 415, 422, 503, 504]),
          500: errorResponse(500),
        },
      }),
    },
  };
}
