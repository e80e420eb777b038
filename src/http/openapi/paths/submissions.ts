import type { PathsObject, ResponseObject, SchemaObject } from 'openapi3-ts/oas31';
import type { DocumentContext } from '../context.js';
import { jsonResponse, operation } from '../responses.js';

const requestIdParam = {
  name: 'request_id',
  in: 'path' as const,
  required: true,
  description: 'The request id POST /submit-code answered with.',
  schema: { type: 'string' as const },
};

const snapshot: SchemaObject = {
  type: 'object',
  required: ['request_id', 'status', 'updated_at', 'terminal', 'latest', 'history'],
  properties: {
    request_id: { $ref: '#/components/schemas/RequestId' },
    status: { type: 'string', description: "The latest event's status." },
    updated_at: { type: 'string' },
    terminal: { type: 'boolean', description: 'Nothing more will happen to this submission.' },
    latest: { $ref: '#/components/schemas/StatusEvent' },
    history: { type: 'array', items: { $ref: '#/components/schemas/StatusEvent' }, description: 'Earlier events, oldest first (bounded).' },
  },
};

/** A Server-Sent Events answer: each `data:` line is one JSON value of `schema`. */
export function sseResponse(description: string, schema: SchemaObject): ResponseObject {
  return {
    description,
    headers: {
      'X-Request-Id': { $ref: '#/components/headers/XRequestId' },
      'Cache-Control': { description: 'The stream is not cached or transformed.', required: true, schema: { const: 'no-cache, no-transform' } },
    },
    content: {
      'text/event-stream': {
        schema: { type: 'string', description: `Server-Sent Events: \`data: <JSON>\` events, and \`: heartbeat\` comments. Each event's data: ${schema.description ?? 'see below'}` },
        // OpenAPI 3.1 has no way to describe the items of a stream; the data schema is given here for readers and tools.
        'x-event-data-schema': schema,
      } as Record<string, unknown>,
    },
  };
}

/** src/http/routes/submissions.ts and the WebSocket endpoint (src/http/ws/status-socket.ts); present with the status loop. */
export function submissionPaths(ctx: DocumentContext): PathsObject {
  if (!ctx.submissions) return {};
  const event: SchemaObject = { $ref: '#/components/schemas/StatusEvent', description: 'one StatusEvent (#/components/schemas/StatusEvent).' };
  return {
    '/submissions/{request_id}': {
      get: operation({
        tags: ['status'],
        operationId: 'getSubmission',
        summary: "A submission's latest status and its history (polling)",
        description: "Answered from this replica's view of the status topic (docs/status.md).",
        parameters: [requestIdParam],
        responses: {
          200: {
            ...jsonResponse('The latest status and the history.', snapshot),
            headers: { 'X-Request-Id': { $ref: '#/components/headers/XRequestId' }, 'Cache-Control': { required: true, schema: { const: 'no-store' } } },
          },
        },
        // 400 INVALID_REQUEST_ID, 404 SUBMISSION_NOT_FOUND, 503 STATUS_NOT_READY.
        errors: [400, 404],
      }),
    },
    '/submissions/{request_id}/events': {
      get: operation({
        tags: ['status'],
        operationId: 'followSubmission',
        summary: "A submission's status changes as Server-Sent Events",
        description: 'The current status first, then every change; the stream ends after a terminal status. Refusals (unknown id, too many streams) come before the stream starts, as JSON.',
        parameters: [requestIdParam],
        responses: { 200: sseResponse('The stream of status events.', event) },
        errors: [400, 404, 'TOO_MANY_CLIENT_STREAMS'],
      }),
    },
    '/ws': {
      get: operation({
        tags: ['status'],
        operationId: 'statusWebSocket',
        summary: 'WebSocket: follow the status of several submissions',
        description:
          'A WebSocket handshake (`Connection: Upgrade`, `Upgrade: websocket`), handled by the HTTP server before the routes. `?request_id=` (repeatable) subscribes at connect; ' +
          'the client sends `{"subscribe": [ids]}` / `{"unsubscribe": [ids]}`; the server pushes one StatusEvent (#/components/schemas/StatusEvent) per message, ' +
          'the current status of each id first, and `{"error": {...}}` for a bad message. Refusals of the handshake are JSON error answers. ' +
          'A plain GET (no Upgrade) answers 426.',
        parameters: [
          { name: 'request_id', in: 'query', required: false, description: 'Request ids to follow from the start.', schema: { type: 'array', items: { type: 'string' } }, style: 'form', explode: true },
        ],
        responses: {
          101: { description: 'Switching Protocols: the WebSocket is open.' },
        },
        errors: [400, 'UPGRADE_REQUIRED', 'TOO_MANY_CLIENT_STREAMS'],
      }),
    },
  };
}
