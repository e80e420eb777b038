import { expect } from 'chai';
import { GatewayError } from '../../../../src/errors/gateway-error.js';
import { asyncAnswer, batchAnswer, singleAnswer } from '../../../../src/http/routes/produce-answers.js';
import type { ItemOutcome } from '../../../../src/pipeline/types.js';

const ok = (offset: number | null): ItemOutcome => ({
  success: true,
  topic: 't',
  partition: 0,
  offset,
  ...(offset === null ? { offset_unknown_reason: 'acknowledged as a duplicate of a retried send; the record is in Kafka once' } : {}),
  timestamp: 'now',
});
const failed = (code: 'QUEUE_FULL' | 'DELIVERY_OUTCOME_UNKNOWN' | 'INVALID_TOPIC', eventual?: Promise<ItemOutcome>): ItemOutcome => ({
  success: false,
  topic: 't',
  error: new GatewayError(code),
  ...(eventual ? { eventual } : {}),
});

describe('produce answers', () => {
  it('a 200 with an unknown offset says null and why, never a negative number', () => {
    const a = singleAnswer(ok(null), 'r');
    expect(a.status).to.equal(200);
    expect(a.body).to.include({ offset: null, offset_unknown_reason: 'acknowledged as a duplicate of a retried send; the record is in Kafka once' });
  });

  it('503 and 504 carry Retry-After; a 4xx does not', () => {
    expect(singleAnswer(failed('QUEUE_FULL'), 'r').headers).to.deep.equal({ 'Retry-After': '1' });
    expect(singleAnswer(failed('DELIVERY_OUTCOME_UNKNOWN'), 'r').headers).to.deep.equal({ 'Retry-After': '1' });
    expect(singleAnswer(failed('INVALID_TOPIC'), 'r').headers).to.deep.equal({});
    // A batch: all unknown → 504; mixed with a 503 or 504 item → 207, still with Retry-After.
    const all = batchAnswer([failed('DELIVERY_OUTCOME_UNKNOWN'), failed('DELIVERY_OUTCOME_UNKNOWN')], 'r');
    expect([all.status, all.headers['Retry-After']]).to.deep.equal([504, '1']);
    const mixed = batchAnswer([ok(1), failed('QUEUE_FULL')], 'r');
    expect([mixed.status, mixed.headers['Retry-After']]).to.deep.equal([207, '1']);
    expect(batchAnswer([ok(1), failed('INVALID_TOPIC')], 'r').headers).to.deep.equal({});
  });

  it('an answer with items past the deadline has an eventual answer once their reports come', async () => {
    const single = singleAnswer(failed('DELIVERY_OUTCOME_UNKNOWN', Promise.resolve(ok(7))), 'r');
    expect(single.status).to.equal(504);
    expect((await single.eventual!).status).to.equal(200);
    const batch = batchAnswer([ok(1), failed('DELIVERY_OUTCOME_UNKNOWN', Promise.resolve(ok(2)))], 'r');
    expect(batch.status).to.equal(207);
    const final = await batch.eventual!;
    expect(final.status).to.equal(200);
    expect(final.eventual).to.equal(undefined);
    expect(batchAnswer([ok(1)], 'r').eventual).to.equal(undefined);
  });

  it('respond-async: 202 when all queued, the refusal when none, 207 naming each item when mixed', () => {
    const queued = asyncAnswer([undefined, undefined], 'r', true);
    expect(queued.status).to.equal(202);
    expect(queued.headers).to.deep.equal({ 'Preference-Applied': 'respond-async' });
    expect(asyncAnswer([failed('INVALID_TOPIC')], 'r', false).status).to.equal(400);
    const mixed = asyncAnswer([undefined, failed('QUEUE_FULL')], 'r', true);
    expect(mixed.status).to.equal(207);
    expect(mixed.headers).to.deep.equal({ 'Preference-Applied': 'respond-async', 'Retry-After': '1' });
    expect((mixed.body as { results: unknown[] }).results[0]).to.deep.equal({ index: 0, status: 'queued' });
  });
});
