import { expect } from 'chai';
import { isRequestId } from '../../../src/shared/request-id.js';
import { isTerminal, STATUSES, toStatusEvent } from '../../../src/status/status-event.js';

describe('status events', () => {
  it('terminal statuses are exactly PASSED, FAILED, completed, failed, timeout, cancelled', () => {
    expect(STATUSES.filter(isTerminal)).to.deep.equal(['PASSED', 'FAILED', 'completed', 'failed', 'timeout', 'cancelled']);
    expect(isTerminal('nonsense')).to.equal(false);
  });

  it('keeps only the documented fields and bounds text', () => {
    const e = toStatusEvent({
      request_id: 'r-1',
      status: 'completed',
      updated_at: '2026-01-01T00:00:00Z',
      output: 'x'.repeat(70_000),
      execution_time: 0.5,
      memory_usage: 'lots',
      source: 'kgate',
    })!;
    expect(Object.keys(e).sort()).to.deep.equal(['execution_time', 'output', 'request_id', 'status', 'updated_at']);
    expect(e.output).to.have.length(65_536);
  });

  it('refuses what is not a status event', () => {
    expect(toStatusEvent(null)).to.equal(undefined);
    expect(toStatusEvent([])).to.equal(undefined);
    expect(toStatusEvent({ request_id: 'a b', status: 'queued', updated_at: 'x' })).to.equal(undefined);
    expect(toStatusEvent({ request_id: 'a', status: 'DONE', updated_at: 'x' })).to.equal(undefined);
    expect(toStatusEvent({ request_id: 'a', status: 'queued' })).to.equal(undefined);
    expect(toStatusEvent({ request_id: 'a', status: 'queued' }, 'fallback')!.updated_at).to.equal('fallback');
  });

  it('request ids are bounded in length and charset', () => {
    expect(isRequestId('req_20241201_143022_123456')).to.equal(true);
    expect(isRequestId('a'.repeat(129))).to.equal(false);
    expect(isRequestId('../etc')).to.equal(false);
    expect(isRequestId('')).to.equal(false);
  });
});
