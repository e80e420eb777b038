import { expect } from 'chai';
import nock from 'nock';

// Importing nock turns its interception on for the whole process, and mocha loads every test file
// first: off until this suite's before().
nock.restore();
import { WebhookDelivery, type DeliverySettings, type WebhookOutcome } from '../../../src/webhooks/delivery.js';
import { webhookPayload } from '../../../src/webhooks/payload.js';
import type { Status } from '../../../src/status/status-event.js';
import { verifyWebhookSignature } from '../../../src/webhooks/signature.js';

const ORIGIN = 'http://hooks.example.test';
const SECRET = 'unit-test-secret-0123456789';
const silent = { info() {}, warn() {}, debug() {} };

function settings(over: Partial<DeliverySettings> = {}): DeliverySettings {
  return { url: `${ORIGIN}/hook`, secret: SECRET, maxAttempts: 4, timeoutMs: 2000, backoffBaseMs: 100, backoffMaxMs: 1000, queueMax: 100, concurrency: 2, ...over };
}

const payload = (id = 'req-1', status: Status = 'PASSED') =>
  webhookPayload({ request_id: id, status, output: 'hi', execution_time: 0.1, memory_usage: 100, updated_at: '2026-01-01T00:00:00.000Z' });

/** A delivery whose waits return at once and are recorded, with outcomes counted. */
function harness(over: Partial<DeliverySettings> = {}) {
  const sleeps: number[] = [];
  const outcomes: WebhookOutcome[] = [];
  const delivery = new WebhookDelivery(settings(over), {
    log: silent,
    count: (o) => outcomes.push(o),
    random: () => 0.5,
    now: () => 1_700_000_000_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  const settled = async () => {
    while (delivery.pending > 0) await new Promise((r) => setTimeout(r, 5));
  };
  return { delivery, sleeps, outcomes, settled };
}

describe('webhook delivery (nock)', () => {
  before(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
  });
  after(() => {
    nock.enableNetConnect();
    // Off again for every other suite: while active, nock's interceptor holds each request body whole
    // before it sends it, so the NDJSON streaming tests (same mocha process) measured 200+ MiB and saw
    // no back-pressure.
    nock.restore();
  });
  afterEach(() => nock.cleanAll());

  it('POSTs the payload signed, with the event id as a header', async () => {
    let seen: { body: string; headers: Record<string, string | string[]> } | undefined;
    nock(ORIGIN)
      .post('/hook')
      .reply(function (_uri, body) {
        seen = { body: JSON.stringify(body), headers: this.req.headers };
        return [204];
      });
    const h = harness();
    const p = payload();
    h.delivery.enqueue(p);
    await h.settled();
    expect(h.outcomes).to.deep.equal(['delivered']);
    expect(seen!.headers['x-webhook-id']).to.equal(p.event_id);
    expect(seen!.headers['content-type']).to.equal('application/json');
    expect(verifyWebhookSignature(SECRET, JSON.stringify(p), seen!.headers['x-webhook-signature'] as string, { nowSeconds: 1_700_000_000 })).to.equal(true);
    expect(seen!.headers['x-webhook-signature']).to.match(/^t=1700000000,v1=[0-9a-f]{64}$/);
  });

  it('retries 5xx, 408, 429 and network errors with growing jittered backoff, then delivers once', async () => {
    const scope = nock(ORIGIN)
      .post('/hook').reply(500)
      .post('/hook').reply(503)
      .post('/hook').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      .post('/hook').reply(429)
      .post('/hook').reply(408)
      .post('/hook').reply(200, 'ok');
    const h = harness({ maxAttempts: 10 });
    h.delivery.enqueue(payload());
    await h.settled();
    expect(scope.isDone()).to.equal(true);
    expect(h.outcomes).to.deep.equal(['failed', 'failed', 'failed', 'failed', 'failed', 'delivered']);
    // random() = 0.5 → half of min(max, base·2^(n-1)): 50, 100, 200, 400, 500 (capped at 1000/2).
    expect(h.sleeps).to.deep.equal([50, 100, 200, 400, 500]);
  });

  it('never sends again after a 2xx', async () => {
    const scope = nock(ORIGIN).post('/hook').times(5).reply(200);
    const h = harness();
    h.delivery.enqueue(payload());
    await h.settled();
    expect(h.outcomes).to.deep.equal(['delivered']);
    expect(scope.pendingMocks()).to.have.length(1); // four replies left unused
  });

  it('gives up after maxAttempts', async () => {
    const scope = nock(ORIGIN).post('/hook').times(3).reply(502);
    const h = harness({ maxAttempts: 3 });
    h.delivery.enqueue(payload());
    await h.settled();
    expect(scope.isDone()).to.equal(true);
    expect(h.outcomes).to.deep.equal(['failed', 'failed', 'given_up']);
    expect(h.sleeps).to.have.length(2);
  });

  for (const status of [400, 401, 403, 404, 410, 422, 301]) {
    it(`gives up at once on HTTP ${status}`, async () => {
      const scope = nock(ORIGIN).post('/hook').reply(status, '', status === 301 ? { location: 'http://elsewhere.test/' } : {});
      const h = harness();
      h.delivery.enqueue(payload());
      await h.settled();
      expect(scope.isDone()).to.equal(true);
      expect(h.outcomes).to.deep.equal(['given_up']);
      expect(h.sleeps).to.deep.equal([]);
    });
  }

  it('retries a receiver that does not answer within the timeout', async () => {
    nock(ORIGIN).post('/hook').delay(500).reply(200).post('/hook').reply(200);
    const h = harness({ timeoutMs: 100 });
    h.delivery.enqueue(payload());
    await h.settled();
    expect(h.outcomes).to.deep.equal(['failed', 'delivered']);
  });

  it('waits at least Retry-After (bounded by the maximum backoff)', async () => {
    nock(ORIGIN).post('/hook').reply(429, '', { 'retry-after': '1' }).post('/hook').reply(200);
    const h = harness({ backoffMaxMs: 5000 });
    h.delivery.enqueue(payload());
    await h.settled();
    expect(h.sleeps).to.deep.equal([1000]);
  });

  it('close() stops taking webhooks and gives up what is still in flight after its budget', async () => {
    nock(ORIGIN).post('/hook').delay(2000).reply(200);
    const h = harness({ concurrency: 1 });
    h.delivery.enqueue(payload('in-flight'));
    h.delivery.enqueue(payload('queued'));
    await new Promise((r) => setTimeout(r, 20));
    await h.delivery.close(50);
    await h.settled();
    expect(h.delivery.enqueue(payload('late'))).to.equal(false);
    // The queued one is dropped at close, the one in flight given up, the late one refused.
    expect(h.outcomes).to.deep.equal(['dropped', 'given_up', 'dropped']);
  });

  it('drops (and counts) webhooks beyond the queue bound', async () => {
    nock(ORIGIN).post('/hook').times(2).delay(50).reply(200);
    const h = harness({ queueMax: 2, concurrency: 1 });
    expect([h.delivery.enqueue(payload('a')), h.delivery.enqueue(payload('b')), h.delivery.enqueue(payload('c'))]).to.deep.equal([true, true, false]);
    await h.settled();
    expect(h.outcomes).to.deep.equal(['dropped', 'delivered', 'delivered']);
  });
});
