import { expect } from 'chai';
import { createNotifier, terminalEvent } from '../../../src/webhooks/notifier.js';
import type { WebhookPayload } from '../../../src/webhooks/payload.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const record = (value: unknown, ageMs = 0) => ({ value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), timestampMs: NOW - ageMs });

describe('webhook notifier', () => {
  function harness(maxEventAgeMs = 60_000) {
    const sent: WebhookPayload[] = [];
    let stale = 0;
    const notify = createNotifier({ enqueue: (p) => sent.push(p) > 0, maxEventAgeMs, now: () => NOW, log: { debug() {} }, countStale: () => stale++ });
    return { notify, sent, stale: () => stale };
  }

  it('sends terminal statuses only', () => {
    const h = harness();
    for (const status of ['queued', 'submitted', 'PENDING', 'PROCESSING', 'PASSED', 'FAILED', 'completed', 'failed', 'timeout', 'cancelled', 'bogus']) {
      h.notify(record({ request_id: `r-${status}`, status, updated_at: '2026-01-01T12:00:00Z' }));
    }
    expect(h.sent.map((p) => p.status)).to.deep.equal(['PASSED', 'FAILED', 'completed', 'failed', 'timeout', 'cancelled']);
  });

  it('skips (and counts) events older than the age bound', () => {
    const h = harness(60_000);
    h.notify(record({ request_id: 'old', status: 'PASSED', updated_at: 'x' }, 60_001));
    h.notify(record({ request_id: 'new', status: 'PASSED', updated_at: 'x' }, 59_000));
    expect(h.sent.map((p) => p.request_id)).to.deep.equal(['new']);
    expect(h.stale()).to.equal(1);
  });

  it('ignores records that are not status events', () => {
    for (const junk of ['', 'not json', '[1]', 'null', JSON.stringify({ status: 'PASSED' }), JSON.stringify({ request_id: 'bad id!', status: 'PASSED' })]) {
      expect(terminalEvent(record(junk)), junk).to.equal(undefined);
    }
  });

  it('keeps the documented fields only, and fills completed_at from the record time when missing', () => {
    const event = terminalEvent(record({ request_id: 'r', status: 'FAILED', error_output: 'boom', execution_time: 'slow', source: 'kgate', extra: 1 }));
    expect(event).to.deep.equal({ request_id: 'r', status: 'FAILED', error_output: 'boom', updated_at: new Date(NOW).toISOString() });
  });
});
