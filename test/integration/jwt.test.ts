import { expect } from 'chai';
import { SignJWT, base64url } from 'jose';
import WebSocket from 'ws';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { gatewayWithLog } from '../helpers/logged-gateway.js';
import { getJson, postJson } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { newKey, sha256Hex, writeKeysFile } from '../helpers/keys-file.js';
import { OidcIssuer } from '../helpers/oidc-issuer.js';

const AUDIENCE = 'kgate-test';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JWT bearer tokens from an OIDC issuer (real issuer over HTTP, real broker)', function () {
  this.timeout(120_000);
  const prefix = uniqueTopic('jwt');
  const orders = `${prefix}.orders`;
  const status = `${prefix}-status`;
  const apiKey = newKey();
  let issuer: OidcIssuer;
  let gw: RunningGateway;
  let lines: string[];
  const tokensSeen: string[] = [];

  const sign = async (claims: Record<string, unknown>, options: Parameters<OidcIssuer['sign']>[1] = {}) => {
    const token = await issuer.sign({ sub: 'orders-service', aud: AUDIENCE, ...claims }, options);
    tokensSeen.push(token);
    return token;
  };
  const produce = (token: string, topic = orders) => postJson(`${gw.url}/produce`, { topic, message: { n: 1 } }, { authorization: `Bearer ${token}` });
  const expectInvalid = (res: { status: number; body: any; headers: Headers }, code = 'INVALID_TOKEN') => {
    expect(res.status, JSON.stringify(res.body)).to.equal(401);
    expect(res.body.code).to.equal(code);
    expect(res.headers.get('www-authenticate')).to.match(/^Bearer realm="kgate", error="invalid_token", error_description="[^"]+"$/);
  };

  before(async () => {
    issuer = await OidcIssuer.start();
    ({ gw, lines } = await gatewayWithLog({
      AUTH_JWT_ISSUER: issuer.issuer,
      AUTH_JWT_AUDIENCE: `other-service,${AUDIENCE}`,
      AUTH_JWT_SCOPE_PREFIX: 'kafka:write:',
      AUTH_JWT_READ_SCOPE_PREFIX: 'kafka:read:',
      AUTH_KEYS_FILE: writeKeysFile([{ name: 'key-client', key_sha256: sha256Hex(apiKey), topics: [`${prefix}.*`] }]),
      STATUS_TOPIC: status,
    }));
  });
  after(async () => {
    await gw?.shutdown();
    await issuer?.close();
  });

  it('a valid token writes; its sub names the client in kgate-client (read back); /ready says the JWKS is loaded', async () => {
    const token = await sign({ kgate_topics: [`${prefix}.*`] });
    const res = await produce(token);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const records = await readTopic(orders);
    expect(records.map((r) => r.headers['kgate-client'])).to.deep.equal(['orders-service']);
    const ready = await getJson(`${gw.url}/ready`);
    expect(ready.body.jwks_loaded).to.equal(true);
  });

  it('an API key still works in the same Authorization header, beside tokens', async () => {
    expect((await produce(apiKey)).status).to.equal(200);
    expect((await produce('not-a-key-nor-a-token')).body.code).to.equal('INVALID_API_KEY');
  });

  it('no credential: 401 AUTH_REQUIRED with a Bearer challenge without an error (RFC 6750 §3.1)', async () => {
    const res = await postJson(`${gw.url}/produce`, { topic: orders, message: 1 });
    expect(res.status).to.equal(401);
    expect(res.body.code).to.equal('AUTH_REQUIRED');
    expect(res.headers.get('www-authenticate')).to.contain('Bearer realm="kgate"').and.not.contain('error=');
  });

  it('expired: 401 TOKEN_EXPIRED (beyond the 60 s skew)', async () => {
    const nowS = Math.floor(Date.now() / 1000);
    expectInvalid(await produce(await sign({ kgate_topics: ['*'] }, { iat: nowS - 600, lifetimeS: 120 })), 'TOKEN_EXPIRED');
  });

  it('expired within the clock skew: accepted', async () => {
    const nowS = Math.floor(Date.now() / 1000);
    expect((await produce(await sign({ kgate_topics: [`${prefix}.*`] }, { iat: nowS - 130, lifetimeS: 100 }))).status).to.equal(200);
  });

  it('nbf in the future: 401 INVALID_TOKEN', async () => {
    expectInvalid(await produce(await sign({ kgate_topics: ['*'] }, { nbf: Math.floor(Date.now() / 1000) + 600 })));
  });

  it('wrong iss, wrong aud: 401 INVALID_TOKEN', async () => {
    expectInvalid(await produce(await sign({ kgate_topics: ['*'], iss: 'https://evil.example' })));
    expectInvalid(await produce(await sign({ kgate_topics: ['*'], aud: 'someone-else' })));
  });

  it('alg none: 401 INVALID_TOKEN', async () => {
    const enc = (o: unknown) => base64url.encode(JSON.stringify(o));
    const nowS = Math.floor(Date.now() / 1000);
    const token = `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ iss: issuer.issuer, aud: AUDIENCE, sub: 'x', exp: nowS + 300, kgate_topics: ['*'] })}.`;
    expectInvalid(await produce(token));
  });

  it('HS256 "signed" with the public key as the secret (key confusion): 401 INVALID_TOKEN', async () => {
    const jwk = issuer.publicJwk;
    for (const secret of [JSON.stringify(jwk), jwk.n!]) {
      const token = await new SignJWT({ iss: issuer.issuer, aud: AUDIENCE, sub: 'x', kgate_topics: ['*'] })
        .setProtectedHeader({ alg: 'HS256', kid: jwk.kid! })
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret));
      expectInvalid(await produce(token));
    }
  });

  it('a token without the topic: 403 TOPIC_FORBIDDEN with error="insufficient_scope"; the claim array grants it: 200', async () => {
    const res = await produce(await sign({ scope: 'openid kafka:write:elsewhere.*' }));
    expect(res.status).to.equal(403);
    expect(res.body.code).to.equal('TOPIC_FORBIDDEN');
    expect(res.headers.get('www-authenticate')).to.contain('error="insufficient_scope"');
    expect((await produce(await sign({ kgate_topics: [orders] }))).status).to.equal(200);
  });

  it('scopes with AUTH_JWT_SCOPE_PREFIX grant their globs', async () => {
    const token = await sign({ scope: `openid kafka:write:${prefix}.* kafka:read:other` });
    expect((await produce(token)).status).to.equal(200);
    expect((await produce(token, `${prefix}.orders.eu`)).status).to.equal(403);
  });

  it('a reserved topic: not through a glob, only when the token names it exactly', async () => {
    const glob = await produce(await sign({ kgate_topics: [`${prefix}-*`] }), status);
    expect(glob.status).to.equal(403);
    expect(glob.body.reason).to.equal('reserved');
    const exact = await produce(await sign({ kgate_topics: [status] }), status);
    expect(exact.status).to.not.equal(403);
  });

  it('a token on an SSE route in ?access_token=: the tail opens (read grant from kafka:read:)', async () => {
    const token = await sign({ scope: `kafka:read:${prefix}.*` });
    const ac = new AbortController();
    const res = await fetch(`${gw.url}/topics/${orders}/events?access_token=${token}`, { signal: ac.signal });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.contain('text/event-stream');
    ac.abort();
    const refused = await getJson(`${gw.url}/topics/${prefix}-elsewhere/events?access_token=${token}`);
    expect(refused.status).to.equal(403);
  });

  it('a token on the WebSocket: as ?access_token= and as the subprotocols [access_token, <token>]', async () => {
    const token = await sign({ kgate_topics: [`${prefix}.*`] });
    const wsUrl = gw.url.replace('http', 'ws') + '/ws';
    const viaQuery = new WebSocket(`${wsUrl}?access_token=${token}`);
    await new Promise((resolve, reject) => (viaQuery.once('open', resolve), viaQuery.once('unexpected-response', (_q, r) => reject(new Error(`status ${r.statusCode}`)))));
    viaQuery.close();
    const viaProtocol = new WebSocket(wsUrl, ['access_token', token]);
    await new Promise((resolve, reject) => (viaProtocol.once('open', resolve), viaProtocol.once('error', reject)));
    expect(viaProtocol.protocol).to.equal('access_token');
    viaProtocol.close();
    const bad = new WebSocket(wsUrl, ['access_token', await sign({}, { kid: 'made-up' })]);
    const status401 = await new Promise<number>((resolve) => bad.once('unexpected-response', (_q, r) => resolve(r.statusCode!)));
    expect(status401).to.equal(401);
  });

  it('a token in the query of any other route: 400 QUERY_TOKEN_REFUSED, even a valid one', async () => {
    const token = await sign({ kgate_topics: ['*'] });
    const res = await postJson(`${gw.url}/produce?access_token=${token}`, { topic: orders, message: 1 });
    expect(res.status).to.equal(400);
    expect(res.body.code).to.equal('QUERY_TOKEN_REFUSED');
    expect(res.headers.get('www-authenticate')).to.contain('error="invalid_request"');
  });

  it('a flood of made-up kids: at most one JWKS fetch per 10 s, each answered 401', async () => {
    const before = issuer.jwksFetches;
    const started = Date.now();
    const answers: number[] = [];
    while (Date.now() - started < 4000) {
      const batch = await Promise.all(Array.from({ length: 25 }, async (_v, i) => (await produce(await sign({ kgate_topics: ['*'] }, { kid: `fake-${Date.now()}-${i}` }))).status));
      answers.push(...batch);
    }
    expect(answers.length).to.be.greaterThan(50);
    expect(new Set(answers)).to.deep.equal(new Set([401]));
    expect(issuer.jwksFetches - before).to.be.at.most(1);
  });

  it('a rotated key: a token with the new kid is accepted after one refresh, no restart', async () => {
    await sleep(10_500); // past the flood's gate
    const before = issuer.jwksFetches;
    await issuer.addKey('ES256', { dropOld: true });
    const res = await produce(await sign({ kgate_topics: [`${prefix}.*`] }));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(issuer.jwksFetches - before).to.equal(1);
  });

  it('the identity provider down at start-up: the gateway starts; 503 AUTH_UNAVAILABLE with Retry-After; then works once it is back', async () => {
    const idp = await OidcIssuer.start();
    idp.down = true;
    const { gw: second, lines: secondLines } = await gatewayWithLog({ AUTH_JWT_JWKS_URL: idp.jwksUrl, AUTH_JWT_AUDIENCE: AUDIENCE });
    try {
      const ready = await getJson(`${second.url}/ready`);
      expect(ready.status).to.equal(200);
      expect(ready.body.jwks_loaded).to.equal(false);
      const token = await idp.sign({ sub: 'late', aud: AUDIENCE, kgate_topics: [`${prefix}.*`] });
      tokensSeen.push(token);
      const res = await postJson(`${second.url}/produce`, { topic: orders, message: 1 }, { authorization: `Bearer ${token}` });
      expect(res.status).to.equal(503);
      expect(res.body.code).to.equal('AUTH_UNAVAILABLE');
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).to.be.within(1, 10);
      idp.down = false;
      await sleep(retryAfter * 1000 + 200);
      const again = await postJson(`${second.url}/produce`, { topic: orders, message: 1 }, { authorization: `Bearer ${token}` });
      expect(again.status, JSON.stringify(again.body)).to.equal(200);
      expect((await getJson(`${second.url}/ready`)).body.jwks_loaded).to.equal(true);
      lines.push(...secondLines);
    } finally {
      await second.shutdown();
      await idp.close();
    }
  });

  it('no token appears in any log line (debug level, access log included)', () => {
    expect(lines.length).to.be.greaterThan(20);
    expect(lines.some((l) => l.includes('"message":"request"'))).to.equal(true);
    const all = lines.join('\n');
    expect(tokensSeen.length).to.be.greaterThan(100);
    // The signature is the part no other token shares; a token cut anywhere would still show it or its payload.
    const leaked = tokensSeen.filter((token) => all.includes(token.split('.')[2]!) || all.includes(token.split('.')[1]!));
    expect(leaked).to.deep.equal([]);
    expect(all).to.not.contain('access_token=');
  });
});
