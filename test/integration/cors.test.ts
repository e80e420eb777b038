import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { startTestGateway } from '../helpers/gateway.js';
import { newKey, sha256Hex, writeKeysFile } from '../helpers/keys-file.js';

describe('CORS (CORS_ORIGINS)', () => {
  const allowed = 'https://app.example';
  let gw: RunningGateway;
  before(async () => {
    gw = await startTestGateway({
      CORS_ORIGINS: `${allowed},https://other.example`,
      AUTH_KEYS_FILE: writeKeysFile([{ name: 'web', key_sha256: sha256Hex(newKey()), topics: ['*'] }]),
    });
  });
  after(() => gw?.shutdown());

  it('an allowed origin gets its headers, on refusals too, so the page can read the error', async () => {
    const res = await fetch(`${gw.url}/produce`, { method: 'POST', headers: { origin: allowed, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).to.equal(401);
    expect(res.headers.get('access-control-allow-origin')).to.equal(allowed);
    expect(res.headers.get('access-control-expose-headers')).to.contain('X-Request-Id').and.to.contain('Retry-After').and.to.contain('RateLimit-Remaining');
    expect(res.headers.get('vary')).to.contain('Origin');
  });

  it('a preflight from an allowed origin: 204 without a key, the auth and idempotency headers allowed', async () => {
    const res = await fetch(`${gw.url}/produce`, {
      method: 'OPTIONS',
      headers: { origin: allowed, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(res.status).to.equal(204);
    expect(res.headers.get('access-control-allow-origin')).to.equal(allowed);
    expect(res.headers.get('access-control-allow-methods')).to.contain('POST');
    const allowedHeaders = res.headers.get('access-control-allow-headers')!.toLowerCase();
    for (const h of ['authorization', 'x-api-key', 'idempotency-key', 'x-kgate-signature', 'x-kgate-client', 'x-request-id']) expect(allowedHeaders).to.contain(h);
  });

  it('any other origin gets no CORS header at all, preflight or not', async () => {
    const res = await fetch(`${gw.url}/health`, { headers: { origin: 'https://evil.example' } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('access-control-allow-origin')).to.equal(null);
    expect(res.headers.get('access-control-expose-headers')).to.equal(null);
    const pre = await fetch(`${gw.url}/produce`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(pre.headers.get('access-control-allow-origin')).to.equal(null);
    expect(pre.headers.get('access-control-allow-methods')).to.equal(null);
  });

  it('off when unset: no CORS headers for anyone', async () => {
    const open = await startTestGateway();
    try {
      const res = await fetch(`${open.url}/health`, { headers: { origin: allowed } });
      expect(res.headers.get('access-control-allow-origin')).to.equal(null);
    } finally {
      await open.shutdown();
    }
  });
});
