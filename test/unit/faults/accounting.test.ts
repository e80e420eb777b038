import { expect } from 'chai';
import type { ConsumedRecord } from '../../helpers/kcat.js';
import { account, type Limits, type Marks } from '../../faults/accounting.js';
import type { Attempt } from '../../faults/load.js';

// The fault suite's judge (test/faults/accounting.ts): it must catch every way the promise can break.
const limits: Limits = { deadlineMs: 5000, slackMs: 1000, recoveryMs: 1000, clientMarginMs: 3000 };
const marks = (extra: Partial<Marks> = {}): Marks => ({ faultAt: 10_000, notes: [], ...extra });
const ok = (id: string, sentAt = 0, doneAt = sentAt + 10): Attempt => ({ id, replica: 0, sentAt, doneAt, status: 200, offset: 1 });
const failed = (id: string, status: number, code: string): Attempt => ({ id, replica: 0, sentAt: 0, doneAt: 10, status, code });
const record = (key: string, offset = 0): ConsumedRecord => ({ topic: 't', partition: 0, offset, key, payload: '{}', headers: {} });

describe('fault suite accounting', () => {
  it('passes when every acked id is present exactly once', () => {
    const row = account('f', [ok('a'), ok('b')], [record('a'), record('b')], marks(), limits);
    expect(row).to.include({ requests: 2, acked: 2, ackedFound: 2, duplicates: 0 });
    expect(row.failures).to.deep.equal([]);
  });

  it('fails on an acked id missing from the topic', () => {
    const row = account('f', [ok('a'), ok('b')], [record('a')], marks(), limits);
    expect(row.ackedFound).to.equal(1);
    expect(row.failures.join()).to.match(/1 acked ids not in Kafka.*b/);
  });

  it('fails on an id written twice, acked or not', () => {
    const row = account('f', [ok('a'), failed('b', 504, 'DELIVERY_OUTCOME_UNKNOWN')], [record('a'), record('b', 1), record('b', 2)], marks(), limits);
    expect(row.duplicates).to.equal(1);
    expect(row.failures.join()).to.match(/1 ids written more than once/);
  });

  it('counts ghost writes per status, without failing on a 504 that was written', () => {
    const attempts = [failed('a', 503, 'KAFKA_UNAVAILABLE'), failed('b', 504, 'DELIVERY_OUTCOME_UNKNOWN'), failed('c', 504, 'DELIVERY_OUTCOME_UNKNOWN')];
    const row = account('f', attempts, [record('b')], marks(), limits);
    expect(row.unacked['503']).to.deep.equal({ total: 1, written: 0 });
    expect(row.unacked['504']).to.deep.equal({ total: 2, written: 1 });
    expect(row.failures).to.deep.equal([]);
  });

  it('fails on a 503 that was written after all: 503 promises a safe retry', () => {
    const row = account('f', [failed('a', 503, 'KAFKA_UNAVAILABLE')], [record('a')], marks(), limits);
    expect(row.failures.join()).to.match(/1 requests answered 503 were written/);
  });

  it('fails when the gateway\'s own log shows an answer later than deadline + slack', () => {
    const row = account('f', [ok('a', 0, 6500)], [record('a')], marks(), limits, { gatewayLongestMs: 6100 });
    expect(row.failures.join()).to.match(/gateway log: a produce answered after 6.1 s/);
    expect(account('f', [ok('a', 0, 6500)], [record('a')], marks(), limits, { gatewayLongestMs: 5900 }).failures).to.deep.equal([]);
  });

  it('a late answer by the client\'s clock: a note within the margin, a failure far past it on a quiet run, a note on a noisy one', () => {
    const near = account('f', [ok('a', 0, 6500)], [record('a')], marks(), limits, { gatewayLongestMs: 5000 });
    expect(near.longestMs).to.equal(6500);
    expect(near.failures).to.deep.equal([]);
    expect(near.notes.join()).to.match(/1 answers later than deadline \+ 1.0 s by the client's clock .*within the client margin/);
    const far = account('f', [ok('a', 0, 9500)], [record('a')], marks(), limits, { gatewayLongestMs: 5000 });
    expect(far.failures.join()).to.match(/1 answers later than deadline/);
    const noisy = account('f', [ok('a', 0, 9500)], [record('a')], marks(), limits, { gatewayLongestMs: 5000, noisy: 'machine loaded' });
    expect(noisy.failures).to.deep.equal([]);
    expect(noisy.notes.join()).to.match(/not failed, machine loaded/);
  });

  it('fails on a 2xx for a request sent while below min.insync.replicas', () => {
    const attempts = [ok('a', 1000), ok('b', 12_000, 12_050), ok('c', 19_000, 21_000)];
    const row = account('f', attempts, ['a', 'b', 'c'].map((k) => record(k)), marks({ noAckWindow: { from: 10_000, until: 20_000 } }), limits);
    expect(row.failures.join()).to.match(/^1 requests got a 2xx while below min.insync/);
  });

  it('fails on a connection reset at SIGTERM, but not on a refused connection', () => {
    const reset: Attempt = { id: 'a', replica: 0, sentAt: 0, doneAt: 5, error: 'reset', reusedSocket: false };
    const refused: Attempt = { id: 'b', replica: 0, sentAt: 0, doneAt: 5, error: 'refused' };
    expect(account('f', [refused], [], marks({ noResetReplica: 0 }), limits).failures).to.deep.equal([]);
    const row = account('f', [reset, refused], [], marks({ noResetReplica: 0 }), limits);
    expect(row.failures.join()).to.match(/1 connection resets at SIGTERM/);
    expect(row.unacked['reset']).to.deep.equal({ total: 1, written: 0 });
  });

  it('measures the first 2xx after the broker is back, and fails far past the limit', () => {
    const attempts = [ok('a', 0, 5000), ok('b', 20_000, 21_500)];
    const row = account('f', attempts, [record('a'), record('b')], marks({ backAt: 20_000 }), limits);
    expect(row.first2xxAfterBackMs).to.equal(1500);
    expect(row.failures).to.deep.equal([]);
    expect(row.notes.join()).to.match(/first 2xx 1.5 s after the broker was back/);
    const slow = account('f', [ok('a', 0, 5000), ok('b', 20_000, 24_500)], [record('a'), record('b')], marks({ backAt: 20_000 }), limits);
    expect(slow.failures.join()).to.match(/first 2xx 4.5 s after the broker was back/);
  });
});
