import { Router, type Request } from 'express';
import type { Limits } from '../../config/config.js';
import { GatewayError } from '../../errors/gateway-error.js';
import type { IdempotencyStore } from '../../idempotency/store.js';
import type { Logger } from '../../logging/logger.js';
import type { Pipeline } from '../../pipeline/pipeline.js';
import type { ItemOutcome } from '../../pipeline/types.js';
import type { RequestContext } from '../../shared/request-context.js';
import { jsonBody } from '../middleware/json-body.js';
import { produceSummary } from '../middleware/access-log.js';
import { answerOnce } from '../middleware/idempotency.js';
import { contextOf } from '../request-context.js';
import { prefersAsync } from '../middleware/prefer.js';
import { asyncAnswer, batchAnswer, singleAnswer, type ProduceAnswer } from './produce-answers.js';
import { createProduceStream, NDJSON_TYPE, type ProduceStreamDeps } from './produce-stream.js';

export interface ProduceRouteDeps extends ProduceStreamDeps {
  pipeline: Pipeline;
  limits: Limits;
  log: Pick<Logger, 'warn'>;
  /** Absent: Idempotency-Key is ignored. */
  idempotency?: IdempotencyStore | undefined;
  /** Failures of messages already answered 202 (metrics). */
  countAsyncFailures?: ((outcomes: readonly ItemOutcome[]) => void) | undefined;
}

/** POST /produce and POST /produce/batch: both are thin fronts over the one pipeline. */
export function produceRoutes(deps: ProduceRouteDeps): Router {
  const router = Router();
  const parseJson = jsonBody(deps.limits.bodyBytes);
  const stream = createProduceStream(deps);

  /** Runs the items, waiting for their acknowledgements or, when the client prefers, only for hand-over. */
  async function produce(req: Request, items: unknown[], ctx: RequestContext, batch: boolean, res: { locals: Record<string, unknown> }): Promise<ProduceAnswer> {
    if (prefersAsync(req)) {
      const { immediate, settled } = deps.pipeline.submit(items, ctx);
      res.locals['produce'] = produceSummary(immediate.map((o) => o ?? { success: true }));
      void settled.then((outcomes) => reportAsync(outcomes, immediate, ctx.requestId));
      return asyncAnswer(immediate, ctx.requestId, batch);
    }
    const outcomes = await deps.pipeline.run(items, ctx);
    res.locals['produce'] = produceSummary(outcomes);
    const answer = batch ? batchAnswer(outcomes, ctx.requestId) : singleAnswer(outcomes[0]!, ctx.requestId);
    if (answer.status >= 500) {
      const codes = [...new Set(outcomes.map((o) => (o.success ? 'OK' : o.error.code)))];
      deps.log.warn('request failed', { request_id: ctx.requestId, route: req.path, status: answer.status, codes });
    }
    return answer;
  }

  function reportAsync(outcomes: ItemOutcome[], immediate: Array<ItemOutcome | undefined>, requestId: string): void {
    const failed = outcomes.filter((o, i) => !o.success && immediate[i] === undefined);
    if (failed.length === 0) return;
    deps.countAsyncFailures?.(failed);
    const codes = [...new Set(failed.map((o) => (o.success ? '' : o.error.code)))];
    deps.log.warn('respond-async messages not delivered', { request_id: requestId, failed: failed.length, codes });
  }

  router.post('/produce', ...parseJson, async (req, res) => {
    if (Array.isArray(req.body)) {
      throw new GatewayError('INVALID_BODY', 'POST /produce takes one object; send arrays to /produce/batch');
    }
    const ctx = contextOf(req);
    await answerOnce(req, res, deps.idempotency, ctx.client?.name ?? '', () => produce(req, [req.body], ctx, false, res));
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
    const ctx = contextOf(req);
    await answerOnce(req, res, deps.idempotency, ctx.client?.name ?? '', () => produce(req, items, ctx, true, res));
  });

  for (const path of ['/produce', '/produce/batch']) {
    router.all(path, (_req, res) => {
      res.setHeader('Allow', 'POST');
      throw new GatewayError('METHOD_NOT_ALLOWED', `use POST ${path}`);
    });
  }
  return router;
}
