import { expect } from 'chai';
import { decodeStatusRecord } from '../../../src/status/status-record.js';

const at = Date.UTC(2026, 10, 30, 6, 0, 0);
const rec = (value: unknown) => ({ partition: 1, offset: 7, timestampMs: at, value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) });

describe('decodeStatusRecord', () => {
  it('turns a record into an event and its position', () => {
    const d = decodeStatusRecord(rec({ request_id: 'r1', status: 'PENDING', updated_at: 'now', source: 'w' }), true)!;
    expect(d.event).to.deep.equal({ request_id: 'r1', status: 'PENDING', updated_at: 'now' });
    expect(d.position).to.deep.equal({ partition: 1, offset: 7, timestampMs: at, replay: true });
  });

  it('fills a missing updated_at from the record timestamp', () => {
    expect(decodeStatusRecord(rec({ request_id: 'r1', status: 'PASSED' }), false)!.event.updated_at).to.equal('2026-11-30T06:00:00.000Z');
  });

  it('skips tombstones, junk and unknown statuses', () => {
    expect(decodeStatusRecord(rec(null), false)).to.equal(undefined);
    expect(decodeStatusRecord(rec('{not json'), false)).to.equal(undefined);
    expect(decodeStatusRecord(rec({ request_id: 'r1', status: 'weird', updated_at: 'x' }), false)).to.equal(undefined);
  });
});
