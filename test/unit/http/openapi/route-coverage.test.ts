import path from 'node:path';
import { expect } from 'chai';
import type { Express } from 'express';
import { loadConfig } from '../../../../src/config/config.js';
import { createApp } from '../../../../src/http/app.js';
import { openApiDocumentFor } from '../../../../src/http/openapi/app-document.js';
import { createLogger } from '../../../../src/logging/logger.js';
import { createGatewayMetrics } from '../../../../src/metrics/gateway-metrics.js';
import type { Pipeline } from '../../../../src/pipeline/pipeline.js';
import { loadSchemaRegistry } from '../../../../src/schemas/registry.js';
import { createAccess } from '../../../../src/access/access.js';
import { WS_PATH } from '../../../../src/http/ws/status-socket.js';
import { IdempotencyStore } from '../../../../src/idempotency/store.js';
import { ROOT } from '../../../helpers/env.js';
import { newKey, sha256Hex, writeKeysFile } from '../../../helpers/keys-file.js';
import { listRoutes } from '../../../helpers/route-list.js';

const HOW_TO_ADD =
  'describe it in a module of its route group under src/http/openapi/paths/ (one module per group, e.g. paths/topics.ts) ' +
  'and list that module in pathGroups in src/http/openapi/document.ts; docs/api.md says how';

/**
 * The app with every optional route on, as a production gateway builds it: metrics, the
 * code-execution schema, access control (keys and rate limits), cluster metadata (/topics), the
 * status loop (/submissions, the topic tail, /ws's plain GET), idempotency, NDJSON and /live.
 */
function fullApp(): { app: Express; deps: Parameters<typeof createApp>[0] } {
  const config = loadConfig({ AUTH_KEYS_FILE: writeKeysFile([{ name: 'svc', key_sha256: sha256Hex(newKey()), topics: ['*'] }]), RATE_LIMIT_PER_S: '100' });
  const log = createLogger('error', true);
  const access = createAccess({ settings: config.access, deadLetterTopic: undefined, statusTopic: config.status.topic, log, listTopics: async () => [] });
  const streams = { acquire: () => () => {} };
  const streamSettings = { heartbeatMs: 15_000, maxBufferBytes: 1 << 20 };
  const deps = {
    name: 'kgate',
    version: '0.0.0-test',
    limits: config.limits,
    pipeline: { run: async () => [] } as unknown as Pipeline,
    isKafkaConnected: () => true,
    drain: { draining: false },
    log,
    schemas: loadSchemaRegistry(path.join(ROOT, 'schemas')),
    codeExecution: config.codeExecution,
    producerDescription: { bootstrap_servers: ['127.0.0.1:9092'], producer_config: {} },
    metrics: createGatewayMetrics({ enabled: true, maxTopics: 10 }, '0.0.0-test').set,
    ndjson: config.ndjson,
    dialects: config.dialects,
    clusterMetadata: async () => ({ brokers: [], topics: [] }),
    access,
    idempotency: new IdempotencyStore(config.idempotency),
    submissions: { statusView: { get: () => undefined, subscribe: () => () => {} }, isStatusReady: () => true, streams, streamSettings },
    topicTail: { openTail: () => Promise.reject(new Error('no broker in a unit test')), streams, streamSettings: { ...streamSettings, tailIdleTimeoutMs: 60_000 } },
    isStatusReady: () => true,
  };
  return { app: createApp(deps), deps };
}

describe('OpenAPI document against the routes the app serves', () => {
  const { app, deps } = fullApp();
  const served = listRoutes(app);
  const doc = openApiDocumentFor(deps);
  const paths = doc.paths ?? {};

  it('finds the routes (the router walk itself works)', () => {
    const names = served.map((r) => r.path);
    expect(names).to.include.members([
      '/',
      '/produce',
      '/produce/batch',
      '/schemas/{topic}/{version}',
      '/openapi.json',
      '/docs',
      '/topics',
      '/topics/{topic}',
      '/topics/{topic}/events',
      '/submissions/{request_id}',
      '/submissions/{request_id}/events',
      '/ws',
      '/live',
      '/cloudevents/{topic}',
    ]);
  });

  it('sees /ws as the plain GET the app answers 426; the handshake itself is the server\'s upgrade handler (src/http/ws/status-socket.ts)', () => {
    expect(served.find((r) => r.path === WS_PATH)?.methods).to.deep.equal(['get']);
    expect((paths[WS_PATH] as { get?: { responses: Record<string, unknown> } }).get?.responses).to.include.keys('101', '426');
  });

  it('documents every route the app serves', () => {
    const missing: string[] = [];
    for (const route of served) {
      const item = paths[route.path] as Record<string, unknown> | undefined;
      if (!item) {
        missing.push(`${route.path} (${route.methods.join(', ').toUpperCase() || 'any method'}) is served but has no path in the OpenAPI document`);
        continue;
      }
      for (const method of route.methods) {
        if (method === 'head' && item.get) continue;
        if (!item[method]) missing.push(`${method.toUpperCase()} ${route.path} is served but not in the OpenAPI document`);
      }
    }
    expect(missing, `${missing.join('\n')}\n→ ${HOW_TO_ADD}`).to.deep.equal([]);
  });

  it('documents no route the app lacks', () => {
    const extra: string[] = [];
    for (const [p, item] of Object.entries(paths)) {
      const route = served.find((r) => r.path === p);
      for (const method of ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']) {
        if (!(item as Record<string, unknown>)[method]) continue;
        if (!route?.methods.includes(method)) extra.push(`${method.toUpperCase()} ${p} is in the OpenAPI document but the app has no such route`);
      }
    }
    expect(extra, `${extra.join('\n')}\n→ remove it from its module under src/http/openapi/paths/, or add the route`).to.deep.equal([]);
  });

  it('leaves optional routes out of the document when they are off', () => {
    const off = openApiDocumentFor({
      ...deps,
      metrics: undefined,
      clusterMetadata: undefined,
      submissions: undefined,
      topicTail: undefined,
      dialects: undefined,
      codeExecution: { topic: 'no-schema-topic' },
    });
    expect(off.paths).to.not.have.any.keys(
      '/metrics',
      '/submit-code',
      '/supported-languages',
      '/topics',
      '/topics/{topic}',
      '/topics/{topic}/events',
      '/submissions/{request_id}',
      '/submissions/{request_id}/events',
      '/ws',
      '/cloudevents/{topic}',
    );
    expect(off.paths).to.have.property('/kafka-status');
  });
});
