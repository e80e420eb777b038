import type { PathsObject, SchemaObject } from 'openapi3-ts/oas31';
import type { DocumentContext } from '../context.js';
import { operation } from '../responses.js';
import { sseResponse } from './submissions.js';

const record: SchemaObject = {
  type: 'object',
  description: 'one record: topic, partition, offset, timestamp, key, headers, value (JSON when it is JSON, else text or base64; value_encoding says which).',
  required: ['topic', 'partition', 'offset'],
  properties: {
    topic: { type: 'string' },
    partition: { type: 'integer', minimum: 0 },
    offset: { type: 'integer', minimum: 0 },
    value_encoding: { enum: ['json', 'string', 'base64', null] },
  },
};

/** src/http/routes/topic-tail.ts; present with the status loop. */
export function topicTailPaths(ctx: DocumentContext): PathsObject {
  if (!ctx.topicTail) return {};
  return {
    '/topics/{topic}/events': {
      get: operation({
        tags: ['topics'],
        operationId: 'tailTopic',
        summary: 'Live tail of a topic as Server-Sent Events',
        description:
          'Each connection has a Kafka consumer of its own (TAIL_MAX_CONCURRENT, TAIL_MAX_PER_CLIENT per client, opened at most TAIL_OPEN_PER_S); ' +
          'the stream ends when no record came for TAIL_IDLE_TIMEOUT_S. ' +
          'With keys, reading a topic takes read_topics. Refusals come before the stream starts, as JSON.',
        parameters: [
          { name: 'topic', in: 'path', required: true, schema: { type: 'string' }, description: 'The topic.' },
          {
            name: 'from',
            in: 'query',
            required: false,
            description: '`latest` (default), `earliest`, or an offset applied to every partition.',
            schema: { anyOf: [{ enum: ['latest', 'earliest'] }, { type: 'string', pattern: '^[0-9]{1,15}$' }] },
          },
          { name: 'key', in: 'query', required: false, description: `Only records with this key (at most ${ctx.limits.keyBytes} bytes).`, schema: { type: 'string' } },
        ],
        responses: { 200: sseResponse('The stream of records.', record) },
        errors: [400, 403, 404, 'TOO_MANY_CLIENT_STREAMS', 'TOO_MANY_CLIENT_TAILS', 'RATE_LIMITED'],
      }),
    },
  };
}
