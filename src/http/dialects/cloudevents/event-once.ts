import { errorCodes, type ErrorCode } from '../../../errors/codes.js';
import { GatewayError } from '../../../errors/gateway-error.js';
import type { IdempotencyStore, StoredAnswer, Ticket } from '../../../idempotency/store.js';
import type { ItemOutcome } from '../../../pipeline/types.js';
import { settle } from '../../middleware/idempotency.js';
import { singleAnswer } from '../../routes/produce-answers.js';

/**
 * CloudEvents senders deliver at least once: `source` + `id` identify an event (spec 1.0), so they
 * act as an idempotency key in the Idempotency-Key window. Each event of a batch is its own key: a
 * retried batch writes only the events not written before, and each answer of a stored event is
 * its single-event answer, so a retry in another mode (binary, structured, in a batch) replays it.
 */
export const EVENT_FINGERPRINT = 'cloudevent';

export function eventKey(scope: string, topic: string, source: string, id: string): string {
  // \u0000 occurs in none of these (a header value, a topic name): the parts cannot run together.
  return `${scope}\u0000ce\u0000${topic}\u0000${source}\u0000${id}`;
}

export interface KeyedEntry {
  /** Undefined: the entry has no key (it failed to parse) and always runs. */
  key: string | undefined;
  topic: string;
}

/**
 * Runs each entry at most once per key. Entries whose key is held by another request in flight
 * are waited for only after this request's own entries have run and been recorded, so two batches
 * holding each other's events cannot wait on each other. A key repeated within the batch is
 * written once; its later entries get the first one's outcome, as replays.
 */
export async function runEventsOnce(
  store: IdempotencyStore,
  entries: readonly KeyedEntry[],
  requestId: string,
  run: (indices: number[]) => Promise<ItemOutcome[]>,
): Promise<{ outcomes: ItemOutcome[]; replayed: Set<number> }> {
  const outcomes = new Array<ItemOutcome>(entries.length);
  const replayed = new Set<number>();
  const firstOf = new Map<string, number>();
  const repeats: Array<[number, number]> = [];
  let pending: number[] = [];
  const unkeyed: number[] = [];
  entries.forEach((entry, i) => {
    if (entry.key === undefined) return void unkeyed.push(i);
    const first = firstOf.get(entry.key);
    if (first !== undefined) return void repeats.push([i, first]);
    firstOf.set(entry.key, i);
    pending.push(i);
  });

  let runNow = unkeyed;
  while (runNow.length > 0 || pending.length > 0) {
    const tickets = new Map<number, Ticket>();
    const waits: Array<Promise<void>> = [];
    const waiting: number[] = [];
    for (const i of pending) {
      const begun = store.begin(entries[i]!.key!, EVENT_FINGERPRINT);
      if (begun.kind === 'run') {
        tickets.set(i, begun.ticket);
        runNow.push(i);
      } else if (begun.kind === 'replay') {
        outcomes[i] = outcomeOf(begun.answer, entries[i]!.topic);
        replayed.add(i);
      } else if (begun.kind === 'wait') {
        waits.push(begun.until);
        waiting.push(i);
      } else {
        outcomes[i] = { success: false, topic: entries[i]!.topic, error: new GatewayError('OVERLOADED', 'too many idempotency keys in flight; not written, retry later') };
      }
    }
    if (runNow.length > 0) {
      // In request order: records with one key keep their order on their partition.
      runNow.sort((a, b) => a - b);
      const ran = await run(runNow);
      runNow.forEach((i, k) => {
        outcomes[i] = ran[k]!;
        const ticket = tickets.get(i);
        if (ticket) settle(store, ticket, singleAnswer(ran[k]!, requestId));
      });
    }
    await Promise.all(waits);
    runNow = [];
    pending = waiting;
  }
  for (const [i, first] of repeats) {
    outcomes[i] = outcomes[first]!;
    replayed.add(i);
  }
  return { outcomes, replayed };
}

/** A stored single-event answer read back as the outcome it was made from. */
function outcomeOf(answer: StoredAnswer, topic: string): ItemOutcome {
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  if (body['success'] === true) {
    return {
      success: true,
      topic: body['topic'] as string,
      partition: body['partition'] as number,
      offset: body['offset'] as number | null,
      timestamp: body['timestamp'] as string,
      ...(typeof body['offset_unknown_reason'] === 'string' ? { offset_unknown_reason: body['offset_unknown_reason'] } : {}),
    };
  }
  const { success: _s, code, detail, retriable: _r, field, request_id: _id, ...info } = body;
  const known = typeof code === 'string' && Object.hasOwn(errorCodes, code);
  const error = new GatewayError(known ? (code as ErrorCode) : 'INTERNAL', typeof detail === 'string' ? detail : undefined, {
    ...(typeof field === 'string' ? { field } : {}),
    ...(Object.keys(info).length > 0 ? { info } : {}),
  });
  return { success: false, topic, error };
}
