import { Router, type Request } from 'express';
import type { Limits } from '../../config/config.js';
import { GatewayError } from '../../errors/gateway-error.js';
import type { Pipeline } from '../../pipeline/pipeline.js';
import type { ItemOutcome, RequestContext } from '../../pipeline/types.js';
import { jsonBody } from '../middleware/json-body.js';
import { produceSummary } from '../middleware/access-log.js';
import { createProduceStream, NDJSON_TYPE, type ProduceStreamDeps } from './produce-stream.js';

export interface ProduceRouteDeps extends ProduceStreamDeps {
  pipeline: Pipeline;
  limits: Limits;
}

function contextOf(req: Request): RequestContext {
  return { requestId: req.requestId, receivedAt: req.receivedAt };
}

/** The per-item view a client sees in a batch response. */
function itemResult(outcome: ItemOutcome, index: number): Record<string, unknown> {
  if (outcome.success) return { index, ...outcome };
  return { index, success: false, ...(outcome.topic === undefined ? {} : { topic: outcome.topic }), ...outcome.error.toJSON() };
}

function commonRetriableError(outcomes: ItemOutcome[]): GatewayError | undefined {
  const first = outcomes[0];
  if (!first || first.success || !first.error.retriable) return undefined;
  return outcomes.every((o) => !o.success && o.error.code === first.error.code) ? first.error : undefined;
}

/** POST /produce and POST /produce/batch: both are thin fronts over the one pipeline. */
export function produceRoutes(deps: ProduceRouteDeps): Router {
  const router = Router();
  const parseJson = jsonBody(deps.limits.bodyBytes);
  const stream = createProduceStream(deps);

  router.post('/produce', ...parseJson, async (req, res) => {
    if (Array.isArray(req.body)) {
      throw new GatewayError('INVALID_BODY', 'POST /produce takes one object; send arrays to /produce/batch');
    }
    const outcomes = await deps.pipeline.run([req.body], contextOf(req));
    res.locals['produce'] = produceSummary(outcomes);
    const [outcome] = outcomes;
    if (!outcome!.success) throw outcome!.error;
    const { success: _ignored, ...delivered } = outcome!;
    res.json({ success: true, message: 'Message sent successfully', ...delivered, request_id: req.requestId });
  });

  // NDJSON goes to the streaming handler (produce-stream.ts); everything else to the JSON batch below.
  router.post('/produce/batch', (req, res, next) => (req.is(NDJSON_TYPE) ? stream(req, res, contextOf(req)) : next()));
  router.post('/produce/batch', ...parseJson, async (req, res) => {
    const items: unknown = req.body;
    if (!Array.isArray(items)) {
      throw new GatewayError('INVALID_BODY', 'POST /produce/batch takes a JSON array of produce items');
    }
    if (items.length === 0) throw new GatewayError('EMPTY_BATCH');
    if (items.length > deps.limits.batchItems) {
      throw new GatewayError('BATCH_TOO_LARGE', `batch has ${items.length} items; the limit is ${deps.limits.batchItems}`, {
        info: { limit: deps.limits.batchItems },
      });
    }
    const outcomes = await deps.pipeline.run(items, contextOf(req));
    res.locals['produce'] = produceSummary(outcomes);
    const sent = outcomes.filter((o) => o.success).length;
    // Nothing delivered, all for one retriable reason (Kafka down, queue full, shutting down):
    // answer with that status, so clients and balancers that go by status retry the whole batch.
    const shared = sent === 0 ? commonRetriableError(outcomes) : undefined;
    if (shared?.status === 503) res.setHeader('Retry-After', '1');
    res.status(shared?.status ?? (sent === outcomes.length ? 200 : 207)).json({
      success: sent === outcomes.length,
      messages_sent: sent,
      messages_failed: outcomes.length - sent,
      request_id: req.requestId,
      results: outcomes.map(itemResult),
    });
  });

  for (const path of ['/produce', '/produce/batch']) {
    router.all(path, (_req, res) => {
      res.setHeader('Allow', 'POST');
      throw new GatewayError('METHOD_NOT_ALLOWED', `use POST ${path}`);
    });
  }
  return router;
}
