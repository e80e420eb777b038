import { carriesRetryAfter } from '../../errors/codes.js';
import type { GatewayError } from '../../errors/gateway-error.js';
import type { ItemOutcome } from '../../pipeline/types.js';
import { errorAnswer, retryAfterFor } from '../error-handler.js';

// What each produce route answers, as values (status, headers, body) so that an idempotent
// retry can be given the very same answer later.

/** A produce answer and what may be remembered of it. */
export interface ProduceAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Set when the answer holds outcomes not known yet: the answer once they are. */
  eventual?: Promise<ProduceAnswer>;
}

/** The per-item view a client sees in a batch (`index`) or an NDJSON stream (`line`) answer. */
export function itemResult(outcome: ItemOutcome, position: number, name: 'index' | 'line' = 'index'): Record<string, unknown> {
  if (outcome.success) {
    if (outcome.schemaId === undefined) return { [name]: position, ...outcome };
    const { schemaId: _dialectsOnly, ...rest } = outcome;
    return { [name]: position, ...rest };
  }
  return { [name]: position, success: false, ...(outcome.topic === undefined ? {} : { topic: outcome.topic }), ...outcome.error.toJSON() };
}

/** The error every item failed with, when they all failed with one code; else undefined. */
export function sharedError(outcomes: ItemOutcome[]): GatewayError | undefined {
  const first = outcomes[0];
  if (!first || first.success) return undefined;
  return outcomes.every((o) => !o.success && o.error.code === first.error.code) ? first.error : undefined;
}

/** The shared error when it is retriable: then the whole request answers with its status (and Retry-After). */
export function commonRetriableError(outcomes: ItemOutcome[]): GatewayError | undefined {
  const shared = sharedError(outcomes);
  return shared?.retriable ? shared : undefined;
}

/** Settles every item still unknown at answer time (rare: past the deadline), for an Idempotency-Key replay of the final answer. */
export function eventualOutcomes(outcomes: ItemOutcome[]): Promise<ItemOutcome[]> | undefined {
  if (!outcomes.some((o) => !o.success && o.eventual)) return undefined;
  return Promise.all(outcomes.map((o) => (!o.success && o.eventual ? o.eventual : o)));
}

export function singleAnswer(outcome: ItemOutcome, requestId: string): ProduceAnswer {
  if (outcome.success) {
    const { success: _ignored, schemaId: _dialectsOnly, ...delivered } = outcome;
    return { status: 200, headers: {}, body: { success: true, message: 'Message sent successfully', ...delivered, request_id: requestId } };
  }
  const answer: ProduceAnswer = errorAnswer(outcome.error, requestId);
  if (outcome.eventual) answer.eventual = outcome.eventual.then((o) => singleAnswer(o, requestId));
  return answer;
}

export function batchAnswer(outcomes: ItemOutcome[], requestId: string): ProduceAnswer {
  const sent = outcomes.filter((o) => o.success).length;
  // Nothing delivered, all for one retriable reason (Kafka down, queue full, unknown outcome):
  // answer with that status, so clients and balancers that go by status retry the whole batch.
  const shared = sent === 0 ? commonRetriableError(outcomes) : undefined;
  const answer: ProduceAnswer = {
    status: shared?.status ?? (sent === outcomes.length ? 200 : 207),
    headers: retryAfterOf(outcomes),
    body: {
      success: sent === outcomes.length,
      messages_sent: sent,
      messages_failed: outcomes.length - sent,
      request_id: requestId,
      results: outcomes.map((o, index) => itemResult(o, index)),
    },
  };
  const eventual = eventualOutcomes(outcomes);
  if (eventual) answer.eventual = eventual.then((settled) => batchAnswer(settled, requestId));
  return answer;
}

const ASYNC_HEADERS = { 'Preference-Applied': 'respond-async' };

/** Retry-After when any item was refused with a status that carries one. */
function retryAfterOf(outcomes: ReadonlyArray<ItemOutcome | undefined>): Record<string, string> {
  const refused = outcomes.find((o) => o !== undefined && !o.success && carriesRetryAfter(o.error.status));
  return refused && !refused.success ? retryAfterFor(refused.error.status) : {};
}

/** Prefer: respond-async (RFC 7240): answered once queued; refusals at once are still answered as such. */
export function asyncAnswer(immediate: Array<ItemOutcome | undefined>, requestId: string, batch: boolean): ProduceAnswer {
  const queued = immediate.filter((o) => o === undefined).length;
  if (queued === 0) return batch ? batchAnswer(immediate as ItemOutcome[], requestId) : singleAnswer(immediate[0]!, requestId);
  if (!batch || queued === immediate.length) {
    return {
      status: 202,
      headers: ASYNC_HEADERS,
      body: { success: true, status: 'queued', message: 'Accepted; delivery is not awaited', ...(batch ? { messages_queued: queued } : {}), request_id: requestId },
    };
  }
  const refused = immediate.length - queued;
  return {
    status: 207,
    headers: { ...ASYNC_HEADERS, ...retryAfterOf(immediate) },
    body: {
      success: false,
      messages_queued: queued,
      messages_failed: refused,
      request_id: requestId,
      results: immediate.map((o, index) => (o === undefined ? { index, status: 'queued' } : itemResult(o, index))),
    },
  };
}
