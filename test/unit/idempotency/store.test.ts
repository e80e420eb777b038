import { expect } from 'chai';
import { IdempotencyStore, type StoredAnswer } from '../../../src/idempotency/store.js';

const settings = { windowMs: 1000, maxEntries: 100, maxBytes: 1_000_000 };
const ok: StoredAnswer = { status: 200, headers: {}, body: '{"success":true}' };

describe('IdempotencyStore', () => {
  it('runs a key once, then replays its answer within the window, and runs again after it', () => {
    const s = new IdempotencyStore(settings);
    const first = s.begin('k', 'f', 0);
    expect(first.kind).to.equal('run');
    if (first.kind !== 'run') return;
    s.finish(first.ticket, ok, 0);
    expect(s.begin('k', 'f', 999)).to.deep.equal({ kind: 'replay', answer: ok });
    expect(s.begin('k', 'f', 1000).kind).to.equal('run');
  });

  it('the same key with another body (fingerprint) is a mismatch', () => {
    const s = new IdempotencyStore(settings);
    const first = s.begin('k', 'f1', 0);
    expect(s.begin('k', 'f2', 0).kind).to.equal('mismatch');
    if (first.kind === 'run') s.finish(first.ticket, ok, 0);
    expect(s.begin('k', 'f2', 0).kind).to.equal('mismatch');
  });

  it('a retry while the first is in flight waits for it, then gets its answer', async () => {
    const s = new IdempotencyStore(settings);
    const first = s.begin('k', 'f', 0);
    const second = s.begin('k', 'f', 0);
    expect(second.kind).to.equal('wait');
    if (first.kind !== 'run' || second.kind !== 'wait') return;
    setTimeout(() => s.finish(first.ticket, ok, 0), 5);
    await second.until;
    expect(s.begin('k', 'f', 0)).to.deep.equal({ kind: 'replay', answer: ok });
  });

  it('a refusal is not remembered: a waiting retry and later ones run themselves', async () => {
    const s = new IdempotencyStore(settings);
    const first = s.begin('k', 'f', 0);
    const second = s.begin('k', 'f', 0);
    if (first.kind !== 'run' || second.kind !== 'wait') return expect.fail();
    s.abandon(first.ticket);
    await second.until;
    expect(s.begin('k', 'f', 0).kind).to.equal('run');
  });

  it('an unknown outcome keeps the key bound: replayed as is, then replaced by the final answer', async () => {
    const s = new IdempotencyStore(settings);
    const first = s.begin('k', 'f', 0);
    if (first.kind !== 'run') return expect.fail();
    const unknown: StoredAnswer = { status: 504, headers: { 'Retry-After': '1' }, body: '{"code":"DELIVERY_OUTCOME_UNKNOWN"}' };
    let resolve!: (a: StoredAnswer) => void;
    s.bindUnknown(first.ticket, unknown, new Promise((r) => (resolve = r)), Date.now());
    expect(s.begin('k', 'f')).to.deep.equal({ kind: 'replay', answer: unknown });
    resolve(ok);
    await new Promise((r) => setTimeout(r, 0));
    expect(s.begin('k', 'f')).to.deep.equal({ kind: 'replay', answer: ok });
  });

  it('is bounded by entries and bytes: the oldest answers go first, in-flight keys are kept', () => {
    const s = new IdempotencyStore({ windowMs: 60_000, maxEntries: 3, maxBytes: 1_000_000 });
    const running = s.begin('running', 'f', 0);
    for (const k of ['a', 'b', 'c']) {
      const b = s.begin(k, 'f', 0);
      if (b.kind === 'run') s.finish(b.ticket, ok, 0);
    }
    expect(s.size).to.equal(3);
    expect(running.kind).to.equal('run');
    expect(s.begin('running', 'f', 0).kind).to.equal('wait');
    expect(s.begin('a', 'f', 0).kind).to.equal('run'); // 'a' was evicted (a and b, to make room)

    const small = new IdempotencyStore({ windowMs: 60_000, maxEntries: 1000, maxBytes: 2000 });
    const big: StoredAnswer = { status: 200, headers: {}, body: 'x'.repeat(900) };
    for (const k of ['a', 'b', 'c']) {
      const b = small.begin(k, 'f', 0);
      if (b.kind === 'run') small.finish(b.ticket, big, 0);
    }
    expect(small.usedBytes).to.be.at.most(2000);
    expect(small.begin('c', 'f', 0).kind).to.equal('replay');
    expect(small.begin('a', 'f', 0).kind).to.equal('run');
  });

  it('full of in-flight keys: refuses (the caller answers 503) rather than forgetting one', () => {
    const s = new IdempotencyStore({ windowMs: 60_000, maxEntries: 2, maxBytes: 1_000_000 });
    s.begin('a', 'f', 0);
    s.begin('b', 'f', 0);
    expect(s.begin('c', 'f', 0).kind).to.equal('full');
  });
});
