import type { OpenAPIObject, SchemaObject } from 'openapi3-ts/oas31';
import type { Access } from '../../access/access.js';
import type { Limits } from '../../config/config.js';
import type { SchemaRegistry } from '../../schemas/registry.js';
import { buildOpenApiDocument } from './document.js';

export interface OpenApiDeps {
  name: string;
  version: string;
  limits: Limits;
  schemas: Pick<SchemaRegistry, 'get'>;
  codeExecution: { topic: string };
  metrics?: unknown;
  access?: Pick<Access, 'summary'> | undefined;
  clusterMetadata?: unknown;
  submissions?: unknown;
  topicTail?: unknown;
  dialects?: unknown;
}

/** The document for the app createApp() builds from the same deps: the same optional routes, the same limits. */
export function openApiDocumentFor(deps: OpenApiDeps): OpenAPIObject {
  const topic = deps.codeExecution.topic;
  const latest = deps.schemas.get(topic)?.latest.document as { properties?: Record<string, SchemaObject> } | undefined;
  return buildOpenApiDocument({
    name: deps.name,
    version: deps.version,
    limits: deps.limits,
    metrics: Boolean(deps.metrics),
    topics: Boolean(deps.clusterMetadata),
    submissions: Boolean(deps.submissions),
    topicTail: Boolean(deps.topicTail),
    dialects: Boolean(deps.dialects),
    access: deps.access?.summary,
    codeExecution: latest?.properties ? { topic, properties: latest.properties } : undefined,
  });
}
