import { Router } from 'express';
import { GatewayError } from '../../errors/gateway-error.js';
import { findVersion, type SchemaRegistry, type TopicSchemas } from '../../schemas/registry.js';

export interface SchemaRouteDeps {
  schemas: Pick<SchemaRegistry, 'topics' | 'get'>;
}

/** GET /schemas, /schemas/{topic}, /schemas/{topic}/{version|latest}: what producers are checked against. */
export function schemaRoutes(deps: SchemaRouteDeps): Router {
  const router = Router();
  const listing = deps.schemas.topics().map((t) => ({
    topic: t.topic,
    latest: t.latest.version,
    versions: t.versions.map((v) => ({ version: v.version, id: v.id, url: `/schemas/${t.topic}/${v.version}` })),
  }));

  const topicOf = (name: string): TopicSchemas => {
    const found = deps.schemas.get(name);
    if (!found) throw new GatewayError('NOT_FOUND', `no schema is registered for topic "${name}"`);
    return found;
  };

  router.get('/schemas', (_req, res) => {
    res.json({ topics: listing });
  });

  // The latest version's document, so a producer can fetch "the schema of topic X" in one call.
  router.get('/schemas/:topic', (req, res) => {
    // Look up first: a Content-Type set before a refusal would be kept on the error body.
    const document = topicOf(req.params.topic).latest.document;
    res.type('application/schema+json').send(JSON.stringify(document));
  });

  router.get('/schemas/:topic/:version', (req, res) => {
    const topic = topicOf(req.params.topic);
    const version = req.params.version === 'latest' ? topic.latest : findVersion(topic, req.params.version);
    if (!version) {
      throw new GatewayError('NOT_FOUND', `topic "${topic.topic}" has no schema version "${req.params.version}"`, {
        info: { versions: topic.versions.map((v) => v.version) },
      });
    }
    res.type('application/schema+json').send(JSON.stringify(version.document));
  });
  return router;
}
