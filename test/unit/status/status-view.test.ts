import { expect } from 'chai';
import type { StatusEvent } from '../../../src/status/status-event.js';
import { StatusView, type AppliedInfo } from '../../../src/status/status-view.js';

function ev(id: string, status: StatusEvent['status'], extra: Partial<StatusEvent> = {}): StatusEvent {
  return { request_id: id, status, updated_at: '2026-01-01T00:00:00.000Z', ...extra };
}

describe('StatusView', () => {
  let clock: number;
  const view = (o: Partial<ConstructorParameters<typeof StatusView>[0]> = {}) =>
    new StatusView({ maxEntries: 100, retentionMs: 60_000, maxHistory: 10, now: () => clock, ...o });
  beforeEach(() => (clock = 1_000_000));

  it('keeps the latest status and the history in order', () => {
    const v = view();
    v.apply(ev('a', 'queued'), { partition: 0, offset: 1 });
    v.apply(ev('a', 'PENDING'), { partition: 0, offset: 5 });
    v.apply(ev('a', 'PASSED'), { partition: 0, offset: 9 });
    const snap = v.get('a')!;
    expect(snap.latest.status).to.equal('PASSED');
    expect(snap.history.map((e) => e.status)).to.deep.equal(['queued', 'PENDING', 'PASSED']);
    expect(v.get('b')).to.equal(undefined);
  });

  it('drops a duplicate position and keeps an older offset out of the latest status', () => {
    const v = view();
    const seen: string[] = [];
    v.subscribe('a', (e) => seen.push(e.status));
    expect(v.apply(ev('a', 'queued'), { partition: 1, offset: 4 })).to.equal(true);
    expect(v.apply(ev('a', 'queued'), { partition: 1, offset: 4 })).to.equal(false);
    expect(v.apply(ev('a', 'PROCESSING'), { partition: 1, offset: 8 })).to.equal(true);
    expect(v.apply(ev('a', 'PENDING'), { partition: 1, offset: 6 })).to.equal(false);
    const snap = v.get('a')!;
    expect(snap.latest.status).to.equal('PROCESSING');
    expect(snap.history.map((e) => e.status)).to.deep.equal(['queued', 'PENDING', 'PROCESSING']);
    expect(seen).to.deep.equal(['queued', 'PROCESSING']);
  });

  it('bounds the history per request id, keeping the newest', () => {
    const v = view({ maxHistory: 3 });
    for (let i = 0; i < 6; i++) v.apply(ev('a', 'PROCESSING', { detail: String(i) }), { partition: 0, offset: i });
    expect(v.get('a')!.history.map((e) => e.detail)).to.deep.equal(['3', '4', '5']);
  });

  it('evicts the least recently updated request id beyond maxEntries', () => {
    const v = view({ maxEntries: 2 });
    v.apply(ev('a', 'queued'), { partition: 0, offset: 0 });
    v.apply(ev('b', 'queued'), { partition: 0, offset: 1 });
    v.apply(ev('a', 'PENDING'), { partition: 0, offset: 2 }); // a is now the most recent
    v.apply(ev('c', 'queued'), { partition: 0, offset: 3 });
    expect(v.size).to.equal(2);
    expect(v.get('b')).to.equal(undefined);
    expect(v.get('a')!.latest.status).to.equal('PENDING');
    expect(v.get('c')).to.not.equal(undefined);
  });

  it('forgets request ids older than the retention and ignores events already too old', () => {
    const v = view({ retentionMs: 1000 });
    v.apply(ev('a', 'queued'), { partition: 0, offset: 0 });
    clock += 600;
    v.apply(ev('b', 'queued'), { partition: 0, offset: 1 });
    clock += 600;
    expect(v.get('a')).to.equal(undefined);
    expect(v.get('b')).to.not.equal(undefined);
    expect(v.apply(ev('c', 'queued'), { partition: 0, offset: 2, timestampMs: clock - 5000 })).to.equal(false);
    expect(v.get('c')).to.equal(undefined);
    clock += 2000;
    v.sweep();
    expect(v.size).to.equal(0);
  });

  it('tells subscribers of their id only, until they unsubscribe', () => {
    const v = view();
    const got: Array<[string, AppliedInfo]> = [];
    const off = v.subscribe('a', (e, info) => got.push([e.status, info]));
    v.apply(ev('b', 'queued'), { partition: 0, offset: 0 });
    v.apply(ev('a', 'queued'), { partition: 2, offset: 7, replay: true });
    off();
    v.apply(ev('a', 'PASSED'), { partition: 2, offset: 8 });
    expect(got).to.deep.equal([['queued', { partition: 2, offset: 7, replay: true }]]);
  });

  it('a throwing listener neither stops the others nor the apply', () => {
    const errors: unknown[] = [];
    const v = view({ onListenerError: (err) => errors.push(err) });
    const got: string[] = [];
    v.subscribe('a', () => {
      throw new Error('boom');
    });
    v.subscribe('a', (e) => got.push(e.status));
    expect(v.apply(ev('a', 'queued'), { partition: 0, offset: 0 })).to.equal(true);
    expect(got).to.deep.equal(['queued']);
    expect(errors).to.have.length(1);
  });

  it('a listener may unsubscribe itself while being called', () => {
    const v = view();
    const got: string[] = [];
    const off = v.subscribe('a', (e) => {
      got.push(e.status);
      off();
    });
    v.subscribe('a', (e) => got.push(`2:${e.status}`));
    v.apply(ev('a', 'queued'), { partition: 0, offset: 0 });
    v.apply(ev('a', 'PASSED'), { partition: 0, offset: 1 });
    expect(got).to.deep.equal(['queued', '2:queued', '2:PASSED']);
  });
});
