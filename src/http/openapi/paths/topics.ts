import type { PathsObject, SchemaObject } from 'openapi3-ts/oas31';
import type { DocumentContext } from '../context.js';
import { jsonResponse, operation } from '../responses.js';

const brokerId: SchemaObject = { type: 'integer', description: 'Broker id (node.id); -1 when the partition has no leader.' };

const topicList: SchemaObject = {
  type: 'object',
  required: ['topics'],
  properties: {
    topics: {
      type: 'array',
      description: "Kafka's own topics (__*) are left out, and so is every topic this client may not write.",
      items: {
        type: 'object',
        required: ['name', 'partitions'],
        properties: { name: { type: 'string' }, partitions: { type: 'integer', minimum: 0, description: 'Partition count.' } },
      },
    },
  },
};

const topicDetail: SchemaObject = {
  type: 'object',
  required: ['name', 'partitions', 'brokers'],
  properties: {
    name: { type: 'string' },
    partitions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['partition', 'leader', 'replicas', 'isr'],
        properties: {
          partition: { type: 'integer', minimum: 0 },
          leader: brokerId,
          replicas: { type: 'array', items: { type: 'integer' } },
          isr: { type: 'array', items: { type: 'integer' }, description: 'In-sync replicas.' },
        },
      },
    },
    brokers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'host', 'port'],
        properties: { id: { type: 'integer' }, host: { type: 'string' }, port: { type: 'integer', minimum: 0, maximum: 65535 } },
      },
    },
  },
};

/** src/http/routes/topics.ts (shapes from src/kafka/cluster-metadata.ts); present when the app has cluster metadata. */
export function topicPaths(ctx: DocumentContext): PathsObject {
  if (!ctx.topics) return {};
  return {
    '/topics': {
      get: operation({
        tags: ['topics'],
        operationId: 'listTopics',
        summary: 'The topics this client may write, with their partition counts',
        responses: { 200: jsonResponse('The topics, sorted by name.', topicList) },
      }),
    },
    '/topics/{topic}': {
      get: operation({
        tags: ['topics'],
        operationId: 'getTopic',
        summary: 'One topic: partitions with leader, replicas and in-sync replicas',
        description: 'Forbidden comes before unknown: a client learns nothing about topics it may not write. Never creates the topic.',
        parameters: [{ name: 'topic', in: 'path', required: true, schema: { type: 'string' }, description: 'The topic.' }],
        responses: { 200: jsonResponse('The topic and the brokers of the cluster.', topicDetail) },
        errors: [400, 403, 404],
      }),
    },
  };
}
