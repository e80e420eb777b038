import { expect } from 'chai';
import { webhookEventId, webhookPayload } from '../../../src/webhooks/payload.js';

describe('webhook payload', () => {
  it("carries seed 001's fields with the status as published, and an event id", () => {
    const payload = webhookPayload({ request_id: 'req-1', status: 'PASSED', output: 'ok', execution_time: 0.2, memory_usage: 512, updated_at: '2026-01-01T00:00:00.000Z' });
    expect(payload).to.deep.equal({
      event_id: webhookEventId('req-1', 'PASSED'),
      submission_id: 'req-1',
      request_id: 'req-1',
      status: 'PASSED',
      output: 'ok',
      error_output: null,
      execution_time: 0.2,
      memory_usage: 512,
      completed_at: '2026-01-01T00:00:00.000Z',
    });
  });

  it('derives the event id from request id and status only, so replicas and retries agree', () => {
    expect(webhookEventId('req-1', 'PASSED')).to.equal(webhookEventId('req-1', 'PASSED'));
    expect(webhookEventId('req-1', 'PASSED')).to.not.equal(webhookEventId('req-1', 'FAILED'));
    expect(webhookEventId('req-1', 'PASSED')).to.not.equal(webhookEventId('req-2', 'PASSED'));
    expect(webhookEventId('req-1', 'PASSED')).to.match(/^evt_[0-9a-f]{32}$/);
  });
});
