import type { PathsObject } from 'openapi3-ts/oas31';
import type { DocumentContext } from '../context.js';
import { operation } from '../responses.js';

/** src/http/routes/live.ts: the page itself is static files under /live/, which are not operations. */
export function livePaths(_ctx: DocumentContext): PathsObject {
  return {
    '/live': {
      get: operation({
        tags: ['status'],
        operationId: 'livePage',
        summary: 'The /live page: submit code, follow its status, tail a topic (HTML)',
        description: 'Redirects to `/live/`, where the static page (HTML, JS, CSS from public/live/) is served.',
        responses: {
          301: {
            description: 'The page is at /live/.',
            headers: {
              'X-Request-Id': { $ref: '#/components/headers/XRequestId' },
              Location: { required: true, schema: { const: '/live/' } },
            },
            // Express's redirect body, by Accept.
            content: { 'text/plain': { schema: { type: 'string' } }, 'text/html': { schema: { type: 'string' } } },
          },
        },
      }),
    },
  };
}
