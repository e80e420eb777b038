import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { SecondBroker } from '../helpers/second-broker.js';

describe('a cluster that does not create topics on demand (a broker of its own)', function () {
  this.timeout(120_000);
  const broker = new SecondBroker('auto.create.topics.enable=false');
  let gw: RunningGateway;

  before(async () => {
    await broker.start();
    gw = await startTestGateway({ KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap, KAFKA_TOPIC_PROPAGATION_MS: '1000' });
  });
  after(async () => {
    await gw?.shutdown();
    await broker.destroy();
  });

  it('a topic that does not exist → 404 UNKNOWN_TOPIC, not retriable, before the delivery timeout', async () => {
    const started = Date.now();
    const res = await postJson(`${gw.url}/produce`, { topic: uniqueTopic('missing'), message: { a: 1 } });
    expect(res.status, JSON.stringify(res.body)).to.equal(404);
    expect(res.body).to.include({ code: 'UNKNOWN_TOPIC', retriable: false, field: 'topic' });
    expect(Date.now() - started).to.be.below(8000);
  });
});
