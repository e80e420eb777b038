import type { Limits } from '../../../config/config.js';
import { GatewayError } from '../../../errors/gateway-error.js';
import type { ItemOutcome } from '../../../pipeline/types.js';
import { retryAfterFor } from '../../error-handler.js';
import { commonRetriableError, eventualOutcomes, type ProduceAnswer } from '../../routes/produce-answers.js';
import { v3Error, v3Result, type V3Line } from './records-v3.js';

/** One entry of `POST .../records:batch`: the client's id for it, and its record for the pipeline. */
export interface BatchEntry {
  id: string;
  line: V3Line;
}

/** ProduceBatchRequestEntry.id in Confluent's document: 1-80 characters. */
const MAX_ID_CHARS = 80;

/**
 * The body `{"entries": [{"id", ...record}]}`, bounded like /produce/batch (BATCH_MAX_ITEMS). The list
 * and the ids are checked whole (a request whose entries cannot be told apart cannot be answered per
 * entry); each record is checked on its own in the pipeline, so a malformed record fails alone, as
 * Confluent's document shows ("data=1 is not a base64 string" among the failures).
 */
export function batchEntriesOf(body: unknown, topic: string, limits: Limits): BatchEntry[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new GatewayError('INVALID_BODY', 'the body is {"entries": [{"id": "...", "value": {...}}, ...]}');
  const entries = (body as Record<string, unknown>)['entries'];
  if (!Array.isArray(entries)) throw new GatewayError('MISSING_FIELD', '"entries" must be an array of records with an "id"', { field: 'entries' });
  if (entries.length === 0) throw new GatewayError('EMPTY_BATCH', '"entries" must hold at least one record');
  if (entries.length > limits.batchItems) {
    throw new GatewayError('BATCH_TOO_LARGE', `${entries.length} entries; the limit is ${limits.batchItems}`, { info: { limit: limits.batchItems } });
  }
  const seen = new Set<string>();
  return entries.map((entry: unknown, i): BatchEntry => {
    const at = `entries[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new GatewayError('INVALID_BODY', `${at} must be an object`, { field: at });
    const { id, ...record } = entry as Record<string, unknown>;
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_CHARS) {
      throw new GatewayError('INVALID_FIELD', `${at}.id must be a string of 1-${MAX_ID_CHARS} characters`, { field: `${at}.id` });
    }
    if (seen.has(id)) throw new GatewayError('INVALID_FIELD', `${at}.id ${JSON.stringify(id)} is used by an earlier entry; ids must be unique`, { field: `${at}.id` });
    seen.add(id);
    return { id, line: { topic, record } };
  });
}

/**
 * 207 with `successes` and `failures` (ProduceBatchResponse), each entry named by its id, in entry
 * order. When nothing was written, all for one retriable reason (Kafka down, queue full, outcome
 * unknown), the request takes that status with Retry-After, as /produce/batch does: clients and
 * balancers that go by status retry the whole batch.
 */
export function batchAnswer(outcomes: ItemOutcome[], entries: readonly BatchEntry[], clusterId: string): ProduceAnswer {
  const answer = batchAnswerNow(outcomes, entries, clusterId);
  const eventual = eventualOutcomes(outcomes);
  if (eventual) answer.eventual = eventual.then((settled) => batchAnswerNow(settled, entries, clusterId));
  return answer;
}

function batchAnswerNow(outcomes: ItemOutcome[], entries: readonly BatchEntry[], clusterId: string): ProduceAnswer {
  const shared = commonRetriableError(outcomes);
  if (shared) return { status: shared.status, headers: { 'Content-Type': 'application/json', ...retryAfterFor(shared.status) }, body: v3Error(shared) };
  const successes: Array<Record<string, unknown>> = [];
  const failures: Array<Record<string, unknown>> = [];
  let retryLater = false;
  outcomes.forEach((outcome, i) => {
    const { id, line } = entries[i]!;
    if (outcome.success) {
      const { error_code: _ok, ...result } = v3Result(outcome, clusterId, line);
      successes.push({ id, ...result });
    } else {
      retryLater ||= outcome.error.status >= 503;
      failures.push({ id, ...v3Error(outcome.error) });
    }
  });
  return { status: 207, headers: { 'Content-Type': 'application/json', ...(retryLater ? retryAfterFor(503) : {}) }, body: { successes, failures } };
}
