import type { PathsObject } from 'openapi3-ts/oas31';
import { operation } from '../responses.js';

const requestId = { 'X-Request-Id': { $ref: '#/components/headers/XRequestId' } };

/** src/http/routes/docs.ts: this document and its interactive UI; always open, no authentication. */
export function docsPaths(): PathsObject {
  return {
    '/openapi.json': {
      get: operation({
        tags: ['docs'],
        operationId: 'getOpenApiDocument',
        summary: 'This OpenAPI 3.1 document',
        security: [],
        responses: {
          200: { description: 'The document.', headers: requestId, content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'paths'] } } } },
        },
      }),
    },
    '/docs': {
      get: operation({
        tags: ['docs'],
        operationId: 'getDocsUi',
        summary: 'Interactive API documentation (Swagger UI, served by the gateway itself)',
        security: [],
        responses: { 200: { description: 'The HTML page.', headers: requestId, content: { 'text/html': { schema: { type: 'string' } } } } },
      }),
    },
  };
}
