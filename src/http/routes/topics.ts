import { Router } from 'express';
import { GatewayError } from '../../errors/gateway-error.js';
import type { ClusterMetadata } from '../../kafka/cluster-metadata.js';
import type { ClientIdentity } from '../../shared/request-context.js';
import { topicNameProblem } from '../../shared/topic-name.js';

export interface TopicRouteDeps {
  clusterMetadata: () => Promise<ClusterMetadata>;
  /** The access room's rule (src/access/topic-access.ts): the topics a caller may write are the ones it may see. */
  mayWrite: (client: ClientIdentity | undefined, topic: string) => boolean;
}

/** Read-only topic metadata, as Confluent REST Proxy v3 has it: GET /topics, GET /topics/{topic}. */
export function topicRoutes(deps: TopicRouteDeps): Router {
  const router = Router();

  router.get('/topics', async (req, res) => {
    const { topics } = await deps.clusterMetadata();
    res.json({
      topics: topics.filter((t) => deps.mayWrite(req.identity, t.name)).map((t) => ({ name: t.name, partitions: t.partitions.length })),
    });
  });

  router.get('/topics/:topic', async (req, res) => {
    const topic = req.params['topic']!;
    const problem = topicNameProblem(topic);
    if (problem) throw new GatewayError('INVALID_TOPIC', problem, { field: 'topic' });
    // Forbidden before unknown: a client learns nothing about topics it may not use.
    if (!deps.mayWrite(req.identity, topic)) {
      throw new GatewayError('TOPIC_FORBIDDEN', `topic "${topic}" is not open to this client`, { field: 'topic' });
    }
    const { topics, brokers } = await deps.clusterMetadata();
    const found = topics.find((t) => t.name === topic);
    if (!found) throw new GatewayError('UNKNOWN_TOPIC', `topic "${topic}" does not exist`, { field: 'topic' });
    res.json({ name: found.name, partitions: found.partitions, brokers });
  });

  for (const path of ['/topics', '/topics/:topic']) {
    router.all(path, (_req, res) => {
      res.setHeader('Allow', 'GET');
      throw new GatewayError('METHOD_NOT_ALLOWED', 'topic metadata is read-only: use GET');
    });
  }
  return router;
}
