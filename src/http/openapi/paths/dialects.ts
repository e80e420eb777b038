import type { ParameterObject, PathsObject, SchemaObject } from 'openapi3-ts/oas31';
import type { DocumentContext } from '../context.js';
import { jsonResponse, operation } from '../responses.js';
import { batchResult, delivered, retryAfterOptional, TOPIC_PATTERN, withReplayHeader } from './produce.js';
import { restProxyV2Paths } from './rest-proxy-v2.js';
import { restProxyV3Paths } from './rest-proxy-v3.js';

const topicParameter: ParameterObject = {
  name: 'topic',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: TOPIC_PATTERN },
  description: 'The Kafka topic to write to.',
};

const ceHeader = (name: string, description: string): ParameterObject => ({
  name: `ce-${name}`,
  in: 'header',
  required: false,
  schema: { type: 'string', minLength: 1 },
  description: `Binary mode: the event's \`${name}\` attribute (percent-encoded where the HTTP binding says). ${description}`,
});

/** The JSON event format (CloudEvents 1.0): what src/http/dialects/cloudevents/event.ts fromStructured accepts. */
const structuredEvent: SchemaObject = {
  type: 'object',
  required: ['specversion', 'id', 'source', 'type'],
  properties: {
    specversion: { const: '1.0' },
    id: { type: 'string', minLength: 1 },
    source: { type: 'string', minLength: 1 },
    type: { type: 'string', minLength: 1 },
    datacontenttype: { type: 'string', minLength: 1 },
    dataschema: { type: 'string', format: 'uri' },
    subject: { type: 'string', minLength: 1 },
    time: { type: 'string', format: 'date-time' },
    partitionkey: { type: 'string', description: 'Extension: becomes the Kafka record key.' },
    data: { description: "The event's data; checked against the topic's schema when it is JSON." },
    data_base64: { type: 'string', contentEncoding: 'base64' },
  },
  additionalProperties: { type: ['string', 'integer', 'boolean', 'null'], description: 'Extension attributes: names of 1-64 lower-case letters and digits.' },
  examples: [{ specversion: '1.0', id: 'a-1', source: '/orders', type: 'com.example.order.created', partitionkey: 'order-1', data: { order_id: 1 } }],
};

/** src/http/dialects/cloudevents/routes.ts (the answers are /produce's and /produce/batch's). */
function cloudEventsPaths(ctx: DocumentContext): PathsObject {
  return {
    '/cloudevents/{topic}': {
      post: withReplayHeader(
        operation({
          tags: ['dialects'],
          operationId: 'produceCloudEvents',
          summary: 'Produce CloudEvents (HTTP binding: binary, structured or batched mode)',
          description:
            'Binary mode: the attributes in `ce-*` headers, the body is `data` with its Content-Type. Structured mode: `application/cloudevents+json`. ' +
            `Batched mode: \`application/cloudevents-batch+json\`, at most ${ctx.limits.batchItems} events, each with its own result (207 on partial success). ` +
            'Written in the Kafka protocol binding: binary mode (`ce_*` headers), or structured mode for the topics in CLOUDEVENTS_STRUCTURED_TOPICS; ' +
            '`partitionkey` is the record key. `source` + `id` act as an idempotency key (a retried event is answered as a replay) unless an Idempotency-Key is sent. See docs/dialects.md.',
          parameters: [
            topicParameter,
            ceHeader('specversion', 'Must be 1.0.'),
            ceHeader('id', 'Required in binary mode.'),
            ceHeader('source', 'Required in binary mode.'),
            ceHeader('type', 'Required in binary mode.'),
            { $ref: '#/components/parameters/IdempotencyKey' },
          ],
          requestBody: {
            required: true,
            content: {
              'application/cloudevents+json': { schema: structuredEvent },
              'application/cloudevents-batch+json': { schema: { type: 'array', maxItems: ctx.limits.batchItems, items: structuredEvent } },
              '*/*': { schema: {}, description: 'Binary mode: the data, of any media type; JSON media types must hold JSON.' } as never,
            },
          },
          responses: {
            200: jsonResponse('Delivered (one event), or every event of a batch delivered.', { anyOf: [delivered, batchResult] }),
            207: retryAfterOptional(jsonResponse('Batched mode: some events failed; see results[] (a replayed event has `replayed: true`).', batchResult)),
            503: retryAfterOptional(jsonResponse('Batched mode: nothing delivered, every event for the same retriable reason.', batchResult)),
            504: retryAfterOptional(jsonResponse('Batched mode: every event with an unknown outcome.', batchResult)),
          },
          errors: [400, 403, 404, 413, 415, 422, 504],
        }),
      ),
    },
  };
}

/** Every dialect's routes (src/http/dialects/), present when the app mounts them. */
export function dialectPaths(ctx: DocumentContext): PathsObject {
  if (!ctx.dialects) return {};
  return { ...cloudEventsPaths(ctx), ...restProxyV2Paths(ctx), ...restProxyV3Paths(ctx) };
}
