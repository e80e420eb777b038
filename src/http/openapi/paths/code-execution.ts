import type { PathsObject, SchemaObject } from 'openapi3-ts/oas31';
import type { DocumentContext } from '../context.js';
import { jsonResponse, operation } from '../responses.js';

// The fields a client sends; the gateway sets request_id, timestamp and status itself.
const CLIENT_FIELDS = ['code', 'language', 'input_data', 'user_id'];

/** src/http/routes/code-execution.ts: seed 000's API. /submit-code and /supported-languages exist only with the topic's schema. */
export function codeExecutionPaths(ctx: DocumentContext): PathsObject {
  const paths: PathsObject = {
    '/kafka-status': {
      get: operation({
        tags: ['code-execution'],
        operationId: 'getKafkaStatus',
        summary: 'Kafka connection state and the producer settings (no secrets)',
        responses: {
          200: jsonResponse('Connection state.', {
            type: 'object',
            required: ['status', 'bootstrap_servers', 'topic', 'producer_config'],
            properties: {
              status: { type: 'string', enum: ['connected', 'disconnected'] },
              bootstrap_servers: { type: 'array', items: { type: 'string' } },
              topic: { type: 'string' },
              producer_config: {
                type: 'object',
                properties: {
                  rdkafka: {
                    type: 'object',
                    additionalProperties: { type: ['string', 'number', 'boolean'] },
                    description: 'KAFKA_RDKAFKA_* pass-through properties; secret ones are redacted.',
                  },
                },
                additionalProperties: { type: ['string', 'number', 'boolean'] },
              },
            },
          }),
        },
      }),
    },
  };
  if (!ctx.codeExecution) return paths;
  const { topic, properties } = ctx.codeExecution;
  // The body's fields are the topic schema's own, so the document and the check cannot disagree.
  const fields = Object.fromEntries(CLIENT_FIELDS.filter((f) => properties[f]).map((f) => [f, properties[f]!]));
  const body: SchemaObject = {
    type: 'object',
    required: ['code', 'language'],
    additionalProperties: false,
    properties: fields,
    description: `Becomes a message of topic "${topic}", checked against its schema (GET /schemas/${topic}).`,
  };
  paths['/supported-languages'] = {
    get: operation({
      tags: ['code-execution'],
      operationId: 'getSupportedLanguages',
      summary: 'The languages /submit-code accepts (from the topic schema)',
      responses: {
        200: jsonResponse('Languages.', {
          type: 'object',
          required: ['languages'],
          properties: {
            languages: {
              type: 'array',
              items: {
                type: 'object',
                required: ['name', 'value', 'extension'],
                properties: { name: { type: 'string' }, value: { type: 'string' }, extension: { type: 'string' } },
              },
            },
          },
        }),
      },
    }),
  };
  paths['/submit-code'] = {
    post: operation({
      tags: ['code-execution'],
      operationId: 'submitCode',
      summary: 'Submit a program for execution; answered once the broker acknowledged it',
      requestBody: { required: true, content: { 'application/json': { schema: body } } },
      responses: {
        200: jsonResponse('Queued.', {
          type: 'object',
          required: ['message', 'request_id', 'status', 'timestamp', 'topic', 'partition', 'offset'],
          properties: {
            message: { type: 'string' },
            request_id: { $ref: '#/components/schemas/RequestId' },
            status: { const: 'queued' },
            timestamp: { type: 'string', format: 'date-time' },
            topic: { type: 'string' },
            partition: { type: 'integer', minimum: 0 },
            offset: { type: ['integer', 'null'], minimum: 0, description: 'null when the broker acknowledged without an offset.' },
          },
        }),
      },
      errors: [400, 403, 404, 409, 413, 415, 422, 504],
    }),
  };
  return paths;
}
