import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { newKey, sha256Hex, writeKeysFile } from '../helpers/keys-file.js';
import { streamNdjson } from '../helpers/ndjson.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('rate limits', () => {
  describe('per client (keys file)', () => {
    const slowKey = newKey();
    const tinyKey = newKey();
    const freeKey = newKey();
    const topic = uniqueTopic('rl');
    let gw: RunningGateway;
    before(async () => {
      gw = await startTestGateway({
        AUTH_KEYS_FILE: writeKeysFile([
          // A 30 s window: the test cannot outlast it, however busy the machine.
          { name: 'slow', key_sha256: sha256Hex(slowKey), topics: [topic], rate_limit: { per_second: 0.1, burst: 3 } },
          // A 4 s window: two back-to-back requests fall into it even on a busy machine.
          { name: 'tiny', key_sha256: sha256Hex(tinyKey), topics: [topic], rate_limit: { per_second: 0.25, burst: 1 } },
          { name: 'free', key_sha256: sha256Hex(freeKey), topics: [topic] },
        ]),
      });
    });
    after(() => gw?.shutdown());

    it('a batch costs its items; the request past the limit gets 429 RATE_LIMITED with Retry-After and RateLimit-*', async () => {
      const headers = { 'x-api-key': slowKey };
      const first = await postJson(`${gw.url}/produce/batch`, [{ topic, message: 1 }, { topic, message: 2 }], headers);
      expect(first.status).to.equal(200);
      expect(first.headers.get('ratelimit-limit')).to.equal('3');
      expect(first.headers.get('ratelimit-remaining')).to.equal('1');
      expect(first.headers.get('ratelimit-policy')).to.equal('3;w=30');
      // Two items do not fit in the one point left; the refused batch costs nothing.
      const tooMany = await postJson(`${gw.url}/produce/batch`, [{ topic, message: 3 }, { topic, message: 4 }], headers);
      expect(tooMany.status).to.equal(429);
      expect(tooMany.body).to.include({ code: 'RATE_LIMITED', retriable: true });
      expect(Number(tooMany.headers.get('retry-after'))).to.be.within(1, 30);
      expect(tooMany.headers.get('ratelimit-remaining')).to.equal('1');
      expect((await postJson(`${gw.url}/produce`, { topic, message: 5 }, headers)).status).to.equal(200);
      const spent = await fetch(`${gw.url}/schemas`, { headers });
      expect(spent.status).to.equal(429);
      expect(spent.headers.get('ratelimit-remaining')).to.equal('0');
    });

    it('a batch larger than the burst can never pass: 413 BATCH_TOO_LARGE, not a 429 to retry', async () => {
      const res = await postJson(`${gw.url}/produce/batch`, [1, 2, 3, 4].map((i) => ({ topic, message: i })), { 'x-api-key': slowKey });
      expect(res.status).to.equal(413);
      expect(res.body).to.include({ code: 'BATCH_TOO_LARGE', limit: 3 });
    });

    it('the limit resets after Retry-After; other clients are not affected', async () => {
      const headers = { 'x-api-key': tinyKey };
      expect((await fetch(`${gw.url}/schemas`, { headers })).status).to.equal(200);
      const limited = await fetch(`${gw.url}/schemas`, { headers });
      expect(limited.status).to.equal(429);
      for (let i = 0; i < 5; i++) expect((await fetch(`${gw.url}/schemas`, { headers: { 'x-api-key': freeKey } })).status).to.equal(200);
      await sleep(Number(limited.headers.get('retry-after')) * 1000 + 100);
      expect((await fetch(`${gw.url}/schemas`, { headers })).status).to.equal(200);
    });
  });

  describe('per address without keys (RATE_LIMIT_PER_S, RATE_LIMIT_BURST)', () => {
    it('counts requests of one address; probes are not limited', async () => {
      const gw = await startTestGateway({ RATE_LIMIT_PER_S: '0.1', RATE_LIMIT_BURST: '2' });
      try {
        expect((await fetch(`${gw.url}/schemas`)).status).to.equal(200);
        expect((await fetch(`${gw.url}/schemas`)).status).to.equal(200);
        const res = await fetch(`${gw.url}/schemas`);
        expect(res.status).to.equal(429);
        expect(((await res.json()) as any).code).to.equal('RATE_LIMITED');
        expect((await fetch(`${gw.url}/health`)).status).to.equal(200);
      } finally {
        await gw.shutdown();
      }
    });

    it('off by default: no RateLimit headers', async () => {
      const gw = await startTestGateway();
      try {
        const res = await fetch(`${gw.url}/schemas`);
        expect(res.status).to.equal(200);
        expect(res.headers.get('ratelimit-limit')).to.equal(null);
      } finally {
        await gw.shutdown();
      }
    });
  });

  // Issue 26, finding 2: a stream cost one point whatever its length.
  describe('NDJSON streams pay per line (two clients, keys on)', () => {
    const alice = newKey();
    const bob = newKey();
    const topic = uniqueTopic('rl-ndjson');
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `${JSON.stringify({ topic, message: { i } })}\n`);

    it('lines past the burst wait for points (the body is not read meanwhile), then go through', async () => {
      const gw = await startTestGateway({
        NDJSON_MAX_IN_FLIGHT: '50',
        AUTH_KEYS_FILE: writeKeysFile([
          // 50/s with a burst of 100: a window of 100 points every 2 s.
          { name: 'alice', key_sha256: sha256Hex(alice), topics: [topic], rate_limit: { per_second: 50, burst: 100 } },
          { name: 'bob', key_sha256: sha256Hex(bob), topics: [topic] },
        ]),
      });
      try {
        const started = Date.now();
        const answer = await streamNdjson(gw.url, lines(300), { headers: { 'x-api-key': alice } });
        const elapsed = Date.now() - started;
        expect(answer.status).to.equal(200);
        expect(answer.ok, JSON.stringify(answer.results.find((r) => !r['success']))).to.equal(300);
        // 300 points at 100 per 2 s window cannot be had in less than two more windows.
        expect(elapsed).to.be.at.least(3500);
        // The stream spent alice's points: her next request waits its turn like any other.
        expect((await postJson(`${gw.url}/produce/batch`, Array(100).fill({ topic, message: 1 }), { 'x-api-key': alice })).status).to.equal(429);
        expect((await postJson(`${gw.url}/produce`, { topic, message: 1 }, { 'x-api-key': bob })).status).to.equal(200);
      } finally {
        await gw.shutdown();
      }
    });

    it('lines still unpaid after NDJSON_RATE_LIMIT_WAIT_MS are answered 429 RATE_LIMITED, one by one', async () => {
      const gw = await startTestGateway({
        NDJSON_RATE_LIMIT_WAIT_MS: '500',
        AUTH_KEYS_FILE: writeKeysFile([
          // A 1000 s window: nothing comes back within the test.
          { name: 'alice', key_sha256: sha256Hex(alice), topics: [topic], rate_limit: { per_second: 0.1, burst: 100 } },
        ]),
      });
      try {
        const answer = await streamNdjson(gw.url, lines(150), { headers: { 'x-api-key': alice } });
        expect(answer.status).to.equal(200);
        expect(answer.ok).to.equal(100);
        expect(answer.failed).to.equal(50);
        const refused = answer.results.filter((r) => !r['success']);
        expect(refused.every((r) => r['code'] === 'RATE_LIMITED' && r['retriable'] === true && r['retry_after_s'] >= 1)).to.equal(true);
        expect(refused.map((r) => r['line']).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 50 }, (_, i) => 101 + i));
      } finally {
        await gw.shutdown();
      }
    });
  });
});
