import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

describe('config: clients → gateway (access)', () => {
  it('everything off by default: no keys, no limits, no CORS, no topic policy', () => {
    expect(loadConfig({}).access).to.deep.equal({
      keysFile: undefined,
      hmacToleranceS: 300,
      metricsRequireAuth: false,
      rateLimit: undefined,
      corsOrigins: [],
      topicAllow: undefined,
      requireExistingTopics: false,
      topicMetadataTtlMs: 10_000,
    });
  });

  it('reads lists and limits; the burst defaults to the rate', () => {
    const a = loadConfig({
      AUTH_KEYS_FILE: 'keys.json',
      CORS_ORIGINS: 'https://a.example, http://localhost:3000',
      TOPIC_ALLOW: 'orders.*,user-events',
      RATE_LIMIT_PER_S: '2.5',
    }).access;
    expect(a.keysFile).to.match(/^\/.*keys\.json$/);
    expect(a.corsOrigins).to.deep.equal(['https://a.example', 'http://localhost:3000']);
    expect(a.topicAllow).to.deep.equal(['orders.*', 'user-events']);
    expect(a.rateLimit).to.deep.equal({ perSecond: 2.5, burst: 3 });
  });

  for (const [env, name] of [
    [{ CORS_ORIGINS: 'https://a.example/' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'a.example' }, 'CORS_ORIGINS'],
    [{ TOPIC_ALLOW: 'orders/*' }, 'TOPIC_ALLOW'],
    [{ HMAC_TOLERANCE_S: '0' }, 'HMAC_TOLERANCE_S'],
    [{ RATE_LIMIT_PER_S: '-1' }, 'RATE_LIMIT_PER_S'],
    [{ RATE_LIMIT_BURST: '5' }, 'RATE_LIMIT_BURST'],
    [{ METRICS_REQUIRE_AUTH: 'true' }, 'METRICS_REQUIRE_AUTH'],
    [{ REQUIRE_EXISTING_TOPICS: 'sometimes' }, 'REQUIRE_EXISTING_TOPICS'],
  ] as Array<[Record<string, string>, string]>) {
    it(`refuses ${JSON.stringify(env)}, naming ${name}`, () => {
      expect(() => loadConfig(env)).to.throw(ConfigError, name);
    });
  }
});
