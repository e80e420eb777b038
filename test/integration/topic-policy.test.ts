import { expect } from 'chai';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';

describe('topic policy', () => {
  it('TOPIC_ALLOW: a topic outside every pattern is 403 TOPIC_FORBIDDEN (reason "policy"), per item', async () => {
    const prefix = uniqueTopic('policy');
    const gw = await startTestGateway({ TOPIC_ALLOW: `${prefix}.*, other-*` });
    try {
      const ok = await postJson(`${gw.url}/produce`, { topic: `${prefix}.a`, message: 1 });
      expect(ok.status).to.equal(200);
      const refused = await postJson(`${gw.url}/produce`, { topic: `${prefix}-a`, message: 1 });
      expect(refused.status).to.equal(403);
      expect(refused.body).to.include({ code: 'TOPIC_FORBIDDEN', reason: 'policy' });
      const batch = await postJson(`${gw.url}/produce/batch`, [{ topic: `${prefix}.b`, message: 1 }, { topic: 'elsewhere', message: 1 }]);
      expect(batch.status).to.equal(207);
      expect(batch.body.results[1].reason).to.equal('policy');
    } finally {
      await gw.shutdown();
    }
  });

  it('REQUIRE_EXISTING_TOPICS: a missing topic is 404 UNKNOWN_TOPIC at once and is not created', async () => {
    const existing = uniqueTopic('exists');
    const opener = await startTestGateway();
    try {
      expect((await postJson(`${opener.url}/produce`, { topic: existing, message: 1 })).status).to.equal(200);
    } finally {
      await opener.shutdown();
    }
    const gw = await startTestGateway({ REQUIRE_EXISTING_TOPICS: 'true' });
    try {
      expect((await postJson(`${gw.url}/produce`, { topic: existing, message: 2 })).status).to.equal(200);
      const typo = `${existing}-typo`;
      const res = await postJson(`${gw.url}/produce`, { topic: typo, message: 1 });
      expect(res.status).to.equal(404);
      expect(res.body).to.include({ code: 'UNKNOWN_TOPIC', field: 'topic' });
      const names = (await gw.producer.clusterMetadata()).topics.map((t) => t.name);
      expect(names).to.include(existing);
      expect(names).not.to.include(typo);
    } finally {
      await gw.shutdown();
    }
  });
});
