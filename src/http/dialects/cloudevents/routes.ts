import { Router, type Request, type Response } from 'express';
import { compileTopicPatterns } from '../../../shared/topic-glob.js';
import type { DialectSettings, Limits } from '../../../config/config.js';
import { GatewayError } from '../../../errors/gateway-error.js';
import type { IdempotencyStore } from '../../../idempotency/store.js';
import type { Normalise, Pipeline } from '../../../pipeline/pipeline.js';
import type { ItemOutcome } from '../../../pipeline/types.js';
import type { RequestContext } from '../../../shared/request-context.js';
import { produceSummary } from '../../middleware/access-log.js';
import { answerOnce, runOnce, sendAnswer } from '../../middleware/idempotency.js';
import { batchAnswer, singleAnswer, type ProduceAnswer } from '../../routes/produce-answers.js';
import { dialectContext, rawBody, topicParam } from '../request.js';
import { fromBinary, fromStructured, type CloudEvent } from './event.js';
import { eventKey, EVENT_FINGERPRINT, runEventsOnce } from './event-once.js';
import { toProduceItem } from './kafka-binding.js';

export const DIALECT = 'cloudevents';
const BATCH_TYPE = 'application/cloudevents-batch+json';
const STRUCTURED_TYPE = 'application/cloudevents+json';

export interface CloudEventsRouteDeps {
  pipeline: Pipeline;
  limits: Limits;
  dialects: DialectSettings;
  idempotency?: IdempotencyStore | undefined;
}

/** An event as parsed, or why it could not be: the pipeline's normalise stage turns either into its outcome. */
interface Entry {
  event?: CloudEvent;
  error?: unknown;
}

/**
 * POST /cloudevents/{topic}: the CloudEvents HTTP binding (binary, structured and batched modes)
 * in front of the one pipeline. A refused event is an item outcome like any: its answer is
 * /produce's (single) or /produce/batch's (batched, 207 on partial success).
 */
export function cloudEventsRoutes(deps: CloudEventsRouteDeps): Router {
  const router = Router();
  const structuredTopics = compileTopicPatterns(deps.dialects.cloudEventsStructuredTopics);

  router.post('/cloudevents/:topic', rawBody(deps.limits.bodyBytes), async (req, res) => {
    const topic = topicParam(req);
    const structured = structuredTopics.matches(topic);
    const normaliseEntry: Normalise = (raw) => {
      const entry = raw as Entry;
      if (entry.event === undefined) throw entry.error;
      return toProduceItem(entry.event, topic, structured);
    };
    const ctx = dialectContext(req, DIALECT);
    const run = async (entries: Entry[]): Promise<ItemOutcome[]> => deps.pipeline.run(entries, ctx, normaliseEntry);
    const scope = ctx.client?.name ?? '';
    const keyOf = (entry: Entry): string | undefined => {
      const a = entry.event?.attributes;
      return a === undefined ? undefined : eventKey(scope, topic, a['source'] as string, a['id'] as string);
    };

    if (req.is(BATCH_TYPE)) {
      const entries = batchEntries(req, deps.limits);
      const answer = async (): Promise<ProduceAnswer> => batchOf(res, await run(entries), ctx, new Set());
      if (req.get('idempotency-key') !== undefined || deps.idempotency === undefined) {
        return answerOnce(req, res, deps.idempotency, scope, answer);
      }
      const keyed = entries.map((entry) => ({ key: keyOf(entry), topic }));
      const { outcomes, replayed } = await runEventsOnce(deps.idempotency, keyed, ctx.requestId, (indices) => run(indices.map((i) => entries[i]!)));
      return sendAnswer(res, batchOf(res, outcomes, ctx, replayed), false);
    }

    const entry = singleEntry(req, deps.limits);
    const answer = async (): Promise<ProduceAnswer> => {
      const [outcome] = await run([entry]);
      res.locals['produce'] = produceSummary([outcome!]);
      return singleAnswer(outcome!, ctx.requestId);
    };
    const key = keyOf(entry);
    if (req.get('idempotency-key') !== undefined || deps.idempotency === undefined || key === undefined) {
      return answerOnce(req, res, deps.idempotency, scope, answer);
    }
    const { answer: sent, replayed } = await runOnce(deps.idempotency, key, EVENT_FINGERPRINT, answer);
    sendAnswer(res, sent, replayed);
  });

  router.all('/cloudevents/:topic', (_req, res) => {
    res.setHeader('Allow', 'POST');
    throw new GatewayError('METHOD_NOT_ALLOWED', 'use POST /cloudevents/{topic}');
  });
  return router;
}

function batchOf(res: Response, outcomes: ItemOutcome[], ctx: RequestContext, replayed: Set<number>): ProduceAnswer {
  res.locals['produce'] = produceSummary(outcomes);
  const answer = batchAnswer(outcomes, ctx.requestId);
  if (replayed.size > 0) {
    const results = (answer.body as { results: Array<Record<string, unknown>> }).results;
    for (const i of replayed) results[i]!['replayed'] = true;
  }
  return answer;
}

/** The request body as JSON: raw bytes parsed here, or what the access guard parsed already. */
function jsonOf(req: Request): unknown {
  if (!Buffer.isBuffer(req.body)) {
    if (req.body === undefined) throw new GatewayError('INVALID_BODY', 'a request body is required');
    return req.body;
  }
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    throw new GatewayError('INVALID_JSON');
  }
}

function batchEntries(req: Request, limits: Limits): Entry[] {
  const events = jsonOf(req);
  if (!Array.isArray(events)) throw new GatewayError('INVALID_BODY', `${BATCH_TYPE} is a JSON array of events`);
  // The JSON batch format allows an empty batch: answered 200 with no results.
  if (events.length > limits.batchItems) {
    throw new GatewayError('BATCH_TOO_LARGE', `batch has ${events.length} events; the limit is ${limits.batchItems}`, { info: { limit: limits.batchItems } });
  }
  return events.map((value: unknown): Entry => {
    try {
      return { event: fromStructured(value, limits) };
    } catch (error) {
      return { error };
    }
  });
}

function singleEntry(req: Request, limits: Limits): Entry {
  try {
    if (req.is(STRUCTURED_TYPE)) return { event: fromStructured(jsonOf(req), limits) };
    if (req.is('application/cloudevents+*')) {
      throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', `only the JSON event format is supported: ${STRUCTURED_TYPE}, ${BATCH_TYPE}, or binary mode`);
    }
    return { event: fromBinary(req.headers, req.body, limits) };
  } catch (error) {
    // A body that is not JSON, or the wrong media type, is the request's fault, not the event's.
    if (error instanceof GatewayError && (error.code === 'INVALID_JSON' || error.code === 'UNSUPPORTED_MEDIA_TYPE' || error.code === 'INVALID_BODY')) throw error;
    return { error };
  }
}
