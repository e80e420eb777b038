import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { webhookEventId } from '../../src/webhooks/payload.js';
import { verifyWebhookSignature } from '../../src/webhooks/signature.js';
import { uniqueTopic } from '../helpers/env.js';
import { startTestGateway } from '../helpers/gateway.js';
import { produceWithKcat } from '../helpers/kcat.js';
import { startWebhookReceiver, waitFor } from '../helpers/webhook-receiver.js';

const SECRET = 'integration-webhook-secret-42';

describe('webhooks (real broker, real receiver)', function () {
  this.timeout(90_000);
  const gateways: RunningGateway[] = [];
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((g) => g.shutdown()));
    await Promise.all(closers.splice(0).map((c) => c()));
  });

  async function setup(replicas: number, status?: (n: number) => number) {
    const receiver = await startWebhookReceiver(status);
    closers.push(receiver.close);
    const statusTopic = uniqueTopic('status-webhooks');
    const env = {
      STATUS_TOPIC: statusTopic,
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_CONSUMER_GROUP: uniqueTopic('webhooks-group'),
      WEBHOOK_BACKOFF_BASE_MS: '20',
      WEBHOOK_BACKOFF_MAX_MS: '100',
      WEBHOOK_MAX_ATTEMPTS: '3',
    };
    // A plain gateway creates the (compacted) status topic before the replicas subscribe. Statuses go
    // straight to Kafka, as a worker without an API key writes them: the status topic is reserved, so
    // a gateway without keys refuses them (403 TOPIC_FORBIDDEN).
    const publisher = await startTestGateway({ STATUS_TOPIC: statusTopic });
    gateways.push(publisher);
    const publish = (message: Record<string, unknown>) => produceWithKcat(statusTopic, [{ key: String(message['request_id']), value: message }]);
    await publish({ request_id: 'topic-opener', status: 'queued', updated_at: new Date().toISOString() });
    for (let i = 0; i < replicas; i++) gateways.push(await startTestGateway(env));
    return { receiver, publish };
  }

  it('POSTs a signed seed-001 payload when a status topic record turns terminal, and nothing for the others', async () => {
    const { receiver, publish } = await setup(1);
    const id = `req-${Date.now()}`;
    await publish({ request_id: id, status: 'PENDING', updated_at: new Date().toISOString() });
    await publish({ request_id: id, status: 'PROCESSING', updated_at: new Date().toISOString() });
    const completedAt = new Date().toISOString();
    await publish({ request_id: id, status: 'PASSED', output: '42\n', error_output: '', execution_time: 0.12, memory_usage: 2048, updated_at: completedAt });
    await waitFor(() => receiver.received.length >= 1, 60_000, 'the webhook');
    const [hook] = receiver.received;
    expect(verifyWebhookSignature(SECRET, hook!.body, hook!.headers['x-webhook-signature'] as string)).to.equal(true);
    expect(hook!.headers['x-webhook-id']).to.equal(webhookEventId(id, 'PASSED'));
    expect(JSON.parse(hook!.body)).to.deep.equal({
      event_id: webhookEventId(id, 'PASSED'),
      submission_id: id,
      request_id: id,
      status: 'PASSED',
      output: '42\n',
      error_output: '',
      execution_time: 0.12,
      memory_usage: 2048,
      completed_at: completedAt,
    });
    // Wait out a few delivery rounds: PENDING/PROCESSING never produce a webhook, PASSED only one.
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.received).to.have.length(1);
  });

  it('retries a receiver answering 503 and stops at its first 2xx', async () => {
    const { receiver, publish } = await setup(1, (n) => (n < 3 ? 503 : 200));
    await publish({ request_id: `req-retry-${Date.now()}`, status: 'FAILED', error_output: 'boom', updated_at: new Date().toISOString() });
    await waitFor(() => receiver.received.length >= 3, 60_000, 'three attempts');
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.received).to.have.length(3);
    expect(new Set(receiver.received.map((h) => h.body)).size).to.equal(1);
    expect(receiver.received.map((h) => h.headers['x-webhook-attempt'])).to.deep.equal(['1', '2', '3']);
    const metrics = await (await fetch(`${gateways[1]!.url}/metrics`)).text();
    expect(metrics).to.include('kgate_webhook_deliveries_total{outcome="failed"} 2');
    expect(metrics).to.include('kgate_webhook_deliveries_total{outcome="delivered"} 1');
  });

  it('two replicas in one consumer group send each terminal event once', async () => {
    const { receiver, publish } = await setup(2);
    const ids = Array.from({ length: 6 }, (_, i) => `req-pair-${Date.now()}-${i}`);
    for (const id of ids) await publish({ request_id: id, status: 'completed', updated_at: new Date().toISOString() });
    await waitFor(() => receiver.received.length >= ids.length, 60_000, 'one webhook per id');
    await new Promise((r) => setTimeout(r, 2000));
    const got = receiver.received.map((h) => JSON.parse(h.body).request_id as string).sort();
    expect(got).to.deep.equal([...ids].sort());
  });
});
