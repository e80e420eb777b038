import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { getJson, postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { gatewayWithLog } from '../helpers/logged-gateway.js';
import { OidcIssuer } from '../helpers/oidc-issuer.js';
import { SecondBroker } from '../helpers/second-broker.js';

const SECRET = 'gateway-client-secret-0123456789';
const BROKER_AUDIENCE = 'kafka-broker';
const TOKEN_LIFETIME_S = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('gateway → Kafka with OAUTHBEARER (client credentials from a real issuer, validated by the broker against its JWKS)', function () {
  this.timeout(300_000);
  let issuer: OidcIssuer;
  let broker: SecondBroker;
  let oauth: (clientId?: string, secret?: string) => Record<string, string>;

  before(async () => {
    issuer = await OidcIssuer.start();
    issuer.clients.set('kgate', { secret: SECRET, audience: BROKER_AUDIENCE, lifetimeS: TOKEN_LIFETIME_S });
    issuer.clients.set('kgate-elsewhere', { secret: SECRET, audience: 'some-other-api', lifetimeS: TOKEN_LIFETIME_S });
    // Sessions re-authenticate every 10 s (or at the token's exp): the broker sees each refreshed token.
    broker = new SecondBroker('', { oauth: { jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, audience: BROKER_AUDIENCE, reauthMs: 10_000 } });
    await broker.start();
    oauth = (clientId = 'kgate', secret = SECRET) => ({
      KAFKA_BOOTSTRAP_SERVERS: broker.oauthBootstrap,
      KAFKA_SECURITY_PROTOCOL: 'sasl_plaintext',
      KAFKA_SASL_MECHANISM: 'OAUTHBEARER',
      KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: issuer.tokenUrl,
      KAFKA_SASL_OAUTHBEARER_CLIENT_ID: clientId,
      KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET: secret,
      KAFKA_SASL_OAUTHBEARER_SCOPE: 'kafka',
    });
  });
  after(async () => {
    await broker?.destroy();
    await issuer?.close();
  });

  describe('one gateway, its tokens living 20 s', () => {
    let gw: RunningGateway;
    let lines: string[];
    const topic = uniqueTopic('oauth');
    before(async () => {
      ({ gw, lines } = await gatewayWithLog({ ...oauth(), STATUS_TOPIC: uniqueTopic('oauth-status'), PRODUCE_DEADLINE_MS: '10000' }));
    });
    after(async () => gw?.shutdown());

    it('GET /v3/clusters names the broker\'s own cluster id, read with a token from the gateway\'s token source', async () => {
      const list = await getJson(`${gw.url}/v3/clusters`);
      expect(list.status).to.equal(200);
      const why = lines.filter((l) => l.includes('cluster id')).join('\n');
      expect(list.body.data.map((c: { cluster_id: string }) => c.cluster_id), why).to.deep.equal([broker.clusterId()]);
    });

    it('produces for 90 s across the refreshes: no failed produce, every record read back', async () => {
      const tokensBefore = issuer.tokenRequests;
      const started = Date.now();
      const failures: unknown[] = [];
      let sent = 0;
      while (Date.now() - started < 90_000) {
        const res = await postJson(`${gw.url}/produce`, { topic, message: { n: sent } });
        sent++;
        if (res.status !== 200) failures.push({ at_s: (Date.now() - started) / 1000, status: res.status, body: res.body });
        await sleep(200);
      }
      const refreshes = issuer.tokenRequests - tokensBefore;
      console.log(`      ${sent} produces in 90 s, ${failures.length} failed, ${refreshes} token refreshes`);
      expect(failures).to.deep.equal([]);
      // A 20 s token is refreshed at 16 s: at least five refreshes in 90 s.
      expect(refreshes).to.be.at.least(5);
      const records = await readTopic(topic, broker.bootstrap);
      // Read back partition by partition: compared as a set of sequence numbers.
      expect(records.map((r) => JSON.parse(r.payload).n as number).sort((a, b) => a - b)).to.deep.equal([...Array(sent).keys()]);
    });

    it('the token endpoint taken away until the token expires: 503 KAFKA_UNAVAILABLE with Retry-After at once, /ready 503; back within seconds of its return', async () => {
      issuer.tokenEndpointDown = true;
      const takenAt = Date.now();
      let refused: Awaited<ReturnType<typeof postJson>> | undefined;
      while (Date.now() - takenAt < (TOKEN_LIFETIME_S + 10) * 1000) {
        const t0 = Date.now();
        const res = await postJson(`${gw.url}/produce`, { topic, message: { during: 'outage' } });
        if (res.status === 503) {
          expect(Date.now() - t0, 'answered at once, not at the deadline').to.be.below(1000);
          refused = res;
          break;
        }
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        await sleep(250);
      }
      expect(refused, 'a 503 once the token expired').to.not.equal(undefined);
      expect(refused!.body.code).to.equal('KAFKA_UNAVAILABLE');
      expect(refused!.headers.get('retry-after')).to.match(/^\d+$/);
      expect((await getJson(`${gw.url}/ready`)).status).to.equal(503);
      issuer.tokenEndpointDown = false;
      const backAt = Date.now();
      let status = 0;
      while (Date.now() - backAt < 30_000) {
        status = (await postJson(`${gw.url}/produce`, { topic, message: { after: 'outage' } })).status;
        if (status === 200) break;
        await sleep(250);
      }
      const recoveryS = (Date.now() - backAt) / 1000;
      console.log(`      503 after ${((Date.now() - takenAt) / 1000).toFixed(1)} s without a token endpoint; produce back ${recoveryS.toFixed(1)} s after its return`);
      expect(status).to.equal(200);
      expect(recoveryS).to.be.below(15);
    });

    it('the refreshes and the failed ones are counted in /metrics', async () => {
      const text = await (await fetch(`${gw.url}/metrics`)).text();
      const count = (outcome: string) => Number(new RegExp(`^kgate_kafka_oauthbearer_refreshes_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
      expect(count('ok')).to.be.at.least(5);
      expect(count('failed')).to.be.at.least(1);
    });

    it('neither the client secret nor a token is in any log line', () => {
      const all = lines.join('\n');
      expect(all).to.contain('OAUTHBEARER token refreshed');
      expect(all).to.not.contain('cluster id could not be read');
      expect(all).to.not.contain(SECRET);
      expect(all).to.not.match(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
    });
  });

  it('a wrong client secret stops start-up within seconds, naming the setting', async () => {
    const t0 = Date.now();
    const err = await startTestGateway(oauth('kgate', 'not-the-secret-0123456789')).then(
      (gw) => (void gw.shutdown(), expect.fail('started with a wrong client secret')),
      (e: Error) => e,
    );
    expect(err.message).to.contain('KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET').and.not.contain('not-the-secret');
    expect(Date.now() - t0).to.be.below(10_000);
  });

  it('an audience the broker refuses stops start-up within seconds, naming the settings', async () => {
    const t0 = Date.now();
    const err = await startTestGateway(oauth('kgate-elsewhere')).then(
      (gw) => (void gw.shutdown(), expect.fail('started with a token the broker refuses')),
      (e: Error) => e,
    );
    expect(err.message).to.contain('OAUTHBEARER').and.contain('KAFKA_SASL_OAUTHBEARER_CLIENT_ID');
    expect(Date.now() - t0).to.be.below(15_000);
  });
});
