import type { PathsObject } from 'openapi3-ts/oas31';
import type { DocumentContext } from '../context.js';
import { jsonResponse, operation } from '../responses.js';
const schemaDocument = jsonResponse('The JSON Schema document (draft 2020-12).', { type: 'object' }, 'application/schema+json');

/** src/http/routes/schemas.ts. */
export function schemaPaths(ctx: DocumentContext): PathsObject {
  const example = ctx.codeExecution?.topic;
  const topicParam = {
    name: 'topic',
    in: 'path' as const,
    required: true,
    schema: { type: 'string' as const, ...(example ? { examples: [example] } : {}) },
    description: 'The topic.',
  };
  return {
    '/schemas': {
      get: operation({
        tags: ['schemas'],
        operationId: 'listSchemas',
        summary: 'The topics with a registered schema and their versions',
        responses: {
          200: jsonResponse('Registered topics.', {
            type: 'object',
            required: ['topics'],
            properties: {
              topics: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['topic', 'latest', 'versions'],
                  properties: {
                    topic: { type: 'string' },
                    latest: { type: 'string' },
                    versions: {
                      type: 'array',
                      items: {
                        type: 'object',
                        required: ['version', 'id', 'url'],
                        properties: { version: { type: 'string' }, id: { type: 'string' }, url: { type: 'string' } },
                      },
                    },
                  },
                },
              },
            },
          }),
        },
      }),
    },
    '/schemas/{topic}': {
      get: operation({
        tags: ['schemas'],
        operationId: 'getLatestSchema',
        summary: "The latest version of a topic's schema",
        parameters: [topicParam],
        responses: { 200: schemaDocument },
        errors: [400, 404],
      }),
    },
    '/schemas/{topic}/{version}': {
      get: operation({
        tags: ['schemas'],
        operationId: 'getSchemaVersion',
        summary: "One version of a topic's schema",
        parameters: [
          topicParam,
          { name: 'version', in: 'path', required: true, schema: { type: 'string', examples: ['latest'] }, description: 'A version such as 1.0.0, or `latest`.' },
        ],
        responses: { 200: schemaDocument },
        errors: [400, 404],
      }),
    },
  };
}
