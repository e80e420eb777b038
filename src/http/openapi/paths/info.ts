import type { PathsObject, SchemaObject } from 'openapi3-ts/oas31';
import { jsonResponse, operation } from '../responses.js';

const schemaRegistryState: SchemaObject = {
  type: 'string',
  enum: ['up', 'down', 'unknown'],
  description: 'Only with a registry value format (docs/schemas.md): whether the schema registry answered its last call. Informative: cached subjects keep working while it is down, so it does not change the status.',
};

const health: SchemaObject = {
  type: 'object',
  required: ['status', 'timestamp', 'kafka_connected', 'version', 'runtime'],
  properties: {
    status: { type: 'string', enum: ['healthy', 'unhealthy'] },
    timestamp: { type: 'string', format: 'date-time' },
    kafka_connected: { type: 'boolean' },
    version: { type: 'string' },
    runtime: { $ref: '#/components/schemas/Runtime' },
    schema_registry: schemaRegistryState,
  },
};

const ready: SchemaObject = {
  type: 'object',
  required: ['ready', 'kafka_connected'],
  properties: {
    ready: { type: 'boolean' },
    kafka_connected: { type: 'boolean' },
    schema_registry: schemaRegistryState,
    jwks_loaded: { type: 'boolean', description: "Present with JWT authentication on (AUTH_JWT_*): whether the identity provider's keys are loaded. Informational: not part of `ready`." },
  },
};

/** src/http/routes/info.ts and src/http/routes/ready.ts. */
export function infoPaths(): PathsObject {
  return {
    '/': {
      get: operation({
        tags: ['info'],
        operationId: 'getInfo',
        summary: 'Name, version and the list of endpoints',
        responses: {
          200: jsonResponse('The gateway and its endpoints.', {
            type: 'object',
            required: ['message', 'name', 'version', 'runtime', 'endpoints'],
            properties: {
              message: { type: 'string' },
              name: { type: 'string' },
              version: { type: 'string' },
              runtime: { $ref: '#/components/schemas/Runtime' },
              endpoints: { type: 'object', additionalProperties: { type: 'string' } },
            },
          }),
        },
      }),
    },
    '/health': {
      get: operation({
        tags: ['info'],
        operationId: 'getHealth',
        summary: 'Liveness, with the Kafka connection state',
        responses: {
          200: jsonResponse('Connected to Kafka.', health),
          503: jsonResponse('Not connected to Kafka.', health),
        },
      }),
    },
    '/ready': {
      get: operation({
        tags: ['info'],
        operationId: 'getReady',
        summary: 'Readiness for load balancers: 200 only with a live broker connection',
        responses: {
          200: jsonResponse('Ready.', ready),
          503: jsonResponse('Not ready: no live broker connection.', ready),
        },
      }),
    },
  };
}
