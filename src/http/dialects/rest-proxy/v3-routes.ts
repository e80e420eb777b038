import { Router, type Request, type Response } from 'express';
import type { Limits, NdjsonSettings } from '../../../config/config.js';
import { GatewayError } from '../../../errors/gateway-error.js';
import type { IdempotencyStore } from '../../../idempotency/store.js';
import type { ClusterIdSource } from '../../../kafka/cluster-id.js';
import type { Normalise, Pipeline } from '../../../pipeline/pipeline.js';
import { toGatewayErrorForHttp } from '../../error-handler.js';
import { produceSummary } from '../../middleware/access-log.js';
import type { DrainState } from '../../middleware/draining.js';
import { answerOnce, sendAnswer } from '../../middleware/idempotency.js';
import type { ProduceAnswer } from '../../routes/produce-answers.js';
import { createProduceStream } from '../../routes/produce-stream.js';
import { dialectContext, rawBody, readRawBody, topicParam } from '../request.js';
import { v3Error, v3RecordToItem, v3Result, type V3Line } from './records-v3.js';
import { batchAnswer, batchEntriesOf } from './v3-batch.js';

export const DIALECT = 'rest_v3';

export interface RestProxyV3Deps {
  pipeline: Pipeline;
  limits: Limits;
  ndjson: NdjsonSettings;
  drain?: DrainState | undefined;
  idempotency?: IdempotencyStore | undefined;
  /** The connected cluster's id (src/kafka/cluster-id.ts): read in the background, tried again on a request while unknown. */
  clusterId?: ClusterIdSource | undefined;
}

/**
 * Confluent REST Proxy v3's cluster and produce routes. A request whose body is chunked is the
 * streaming mode: one record per line, one result line per record as it is acknowledged, on the
 * NDJSON stream's machinery and bounds (produce-stream.ts); otherwise one record, one answer.
 * `records:batch` takes a list of records with ids and answers 207 with per-entry results.
 */
export function restProxyV3Routes(deps: RestProxyV3Deps): Router {
  const router = Router();
  const readClusterId = async (): Promise<string | undefined> => deps.clusterId?.read();
  const cluster = (req: Request, id: string) => {
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}/v3/clusters/${id}`;
    const related = (path: string) => ({ related: `${base}/${path}` });
    return {
      kind: 'KafkaCluster',
      metadata: { self: base, resource_name: `crn:///kafka=${id}` },
      cluster_id: id,
      controller: related('brokers'),
      acls: related('acls'),
      brokers: related('brokers'),
      broker_configs: related('broker-configs'),
      consumer_groups: related('consumer-groups'),
      topics: related('topics'),
      partition_reassignments: related('topics/-/partitions/-/reassignment'),
    };
  };
  const refuse = (res: Response, error: GatewayError): void => sendAnswer(res, { status: error.status, headers: { 'Content-Type': 'application/json' }, body: v3Error(error) }, false);
  const unknownCluster = (id: unknown, clusterId: string | undefined) => new GatewayError('NOT_FOUND', `cluster ${JSON.stringify(id)} is not the cluster this gateway writes to${clusterId === undefined ? ' (its id could not be read)' : ''}`);
  const normaliseFor = (limits: Limits): Normalise => (raw) => v3RecordToItem(raw as V3Line, limits);

  router.get('/v3/clusters', async (req, res) => {
    const clusterId = await readClusterId();
    res.json({ kind: 'KafkaClusterList', metadata: { self: `${req.protocol}://${req.get('host') ?? 'localhost'}/v3/clusters`, next: null }, data: clusterId === undefined ? [] : [cluster(req, clusterId)] });
  });
  router.get('/v3/clusters/:cluster_id', async (req, res) => {
    const clusterId = await readClusterId();
    if (req.params['cluster_id'] !== clusterId || clusterId === undefined) return refuse(res, unknownCluster(req.params['cluster_id'], clusterId));
    res.json(cluster(req, clusterId));
  });

  const stream = createProduceStream(deps, (req) => {
    const topic = req.params['topic'] as string;
    const id = deps.clusterId?.known() ?? '';
    return {
      normalise: normaliseFor(deps.limits),
      result: (outcome, _line, item) => v3Result(outcome, id, item as V3Line),
      failed: (error) => v3Error(error),
      wrap: (record: unknown): V3Line => ({ topic, record }),
    };
  });

  const records = '/v3/clusters/:cluster_id/topics/:topic/records';
  router.post(records, async (req, res, next) => {
    try {
      const clusterId = await readClusterId();
      if (req.params['cluster_id'] !== clusterId || clusterId === undefined) throw unknownCluster(req.params['cluster_id'], clusterId);
      topicParam(req);
      if (req.headers['transfer-encoding'] === undefined) return next();
      if (!req.is(['application/json', 'application/x-ndjson'])) throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', 'records are application/json');
      await stream(req, res, dialectContext(req, DIALECT));
    } catch (err) {
      if (res.headersSent) throw err;
      refuse(res, toGatewayErrorForHttp(err));
    }
  });
  const parseBody = rawBody(deps.limits.bodyBytes);
  const jsonBody = async (req: Request, res: Response, what: string): Promise<unknown> => {
    await readRawBody(parseBody, req, res);
    if (!req.is('application/json')) throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', `${what} is application/json`);
    try {
      return Buffer.isBuffer(req.body) ? JSON.parse(req.body.toString('utf8')) : req.body;
    } catch {
      throw new GatewayError('INVALID_JSON');
    }
  };
  router.post(records, async (req, res) => {
    try {
      const record = await jsonBody(req, res, 'a record');
      const line: V3Line = { topic: topicParam(req), record };
      const ctx = dialectContext(req, DIALECT);
      await answerOnce(req, res, deps.idempotency, ctx.client?.name ?? '', async (): Promise<ProduceAnswer> => {
        const [outcome] = await deps.pipeline.run([line], ctx, normaliseFor(deps.limits));
        res.locals['produce'] = produceSummary([outcome!]);
        const body = v3Result(outcome!, deps.clusterId?.known() ?? '', line);
        const status = body['error_code'] as number;
        return { status, headers: { 'Content-Type': 'application/json', ...(status === 503 || status === 504 ? { 'Retry-After': '1' } : {}) }, body };
      });
    } catch (err) {
      if (res.headersSent) throw err;
      const error = toGatewayErrorForHttp(err);
      if (error.code === 'INTERNAL') throw err; // logged with its stack by the one error handler
      refuse(res, error);
    }
  });
  // `:` is a path-to-regexp token: escaped, the path is the literal `records:batch` of Confluent's document.
  router.post(`${records}\\:batch`, async (req, res) => {
    try {
      const clusterId = await readClusterId();
      if (req.params['cluster_id'] !== clusterId || clusterId === undefined) throw unknownCluster(req.params['cluster_id'], clusterId);
      const topic = topicParam(req);
      const entries = batchEntriesOf(await jsonBody(req, res, 'a batch'), topic, deps.limits);
      const ctx = dialectContext(req, DIALECT);
      await answerOnce(req, res, deps.idempotency, ctx.client?.name ?? '', async (): Promise<ProduceAnswer> => {
        const outcomes = await deps.pipeline.run(entries.map((e) => e.line), ctx, normaliseFor(deps.limits));
        res.locals['produce'] = produceSummary(outcomes);
        return batchAnswer(outcomes, entries, clusterId);
      });
    } catch (err) {
      if (res.headersSent) throw err;
      const error = toGatewayErrorForHttp(err);
      if (error.code === 'INTERNAL') throw err; // logged with its stack by the one error handler
      refuse(res, error);
    }
  });
  return router;
}
