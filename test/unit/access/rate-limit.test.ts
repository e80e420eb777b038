import { expect } from 'chai';
import type { Request, Response } from 'express';
import { rateLimit } from '../../../src/access/rate-limit.js';
import { isGatewayError } from '../../../src/errors/gateway-error.js';

function call(handler: ReturnType<typeof rateLimit>, req: Partial<Request>): Promise<{ code?: string; headers: Record<string, string> }> {
  const headers: Record<string, string> = {};
  const res = { setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value) } as unknown as Response;
  return new Promise((resolve) => {
    handler(req as Request, res, (err?: unknown) => resolve({ ...(isGatewayError(err) ? { code: err.code } : {}), headers }));
  });
}

describe('rate limit middleware', () => {
  const passThrough = (_req: Request, _res: Response, next: (err?: unknown) => void) => next();

  it('without keys, each address has its own bucket (a socket on req.client must not merge them)', async () => {
    const limit = rateLimit({ fallback: { perSecond: 0.01, burst: 1 }, clientLimit: () => undefined, jsonParser: passThrough });
    const socketLike = { client: { remoteAddress: 'x' } } as unknown as Partial<Request>;
    expect((await call(limit, { ...socketLike, ip: '10.0.0.1' })).code).to.equal(undefined);
    expect((await call(limit, { ...socketLike, ip: '10.0.0.2' })).code).to.equal(undefined);
    expect((await call(limit, { ...socketLike, ip: '10.0.0.1' })).code).to.equal('RATE_LIMITED');
  });

  it("a client's own limit goes by name, and a batch costs its items", async () => {
    const limit = rateLimit({ fallback: undefined, clientLimit: (n) => (n === 'a' ? { perSecond: 0.01, burst: 5 } : undefined), jsonParser: passThrough });
    const batch = { identity: { name: 'a' }, ip: '10.0.0.1', body: [1, 2, 3, 4] };
    const first = await call(limit, batch);
    expect(first.code).to.equal(undefined);
    expect(first.headers['ratelimit-remaining']).to.equal('1');
    const second = await call(limit, batch);
    expect(second.code).to.equal('RATE_LIMITED');
    expect(second.headers['retry-after']).to.match(/^\d+$/);
    expect((await call(limit, { identity: { name: 'a' }, ip: '10.0.0.9', body: {} })).code).to.equal(undefined);
    expect((await call(limit, { identity: { name: 'b' }, ip: '10.0.0.1', body: [1, 2, 3, 4, 5, 6] })).code).to.equal(undefined);
  });

  it('a REST Proxy record list costs its records: v2 {"records"} and v3 records:batch {"entries"}', async () => {
    const limit = rateLimit({ fallback: undefined, clientLimit: () => ({ perSecond: 0.01, burst: 5 }), jsonParser: passThrough });
    const v2 = await call(limit, { identity: { name: 'v2' }, ip: '10.0.0.1', body: { records: [{}, {}, {}] } });
    expect(v2.headers['ratelimit-remaining']).to.equal('2');
    const v3 = await call(limit, { identity: { name: 'v3' }, ip: '10.0.0.1', body: { entries: [{}, {}, {}, {}] } });
    expect(v3.headers['ratelimit-remaining']).to.equal('1');
    expect((await call(limit, { identity: { name: 'v3' }, ip: '10.0.0.1', body: { entries: [{}, {}] } })).code).to.equal('RATE_LIMITED');
    expect((await call(limit, { identity: { name: 'one' }, ip: '10.0.0.1', body: { records: 'not a list' } })).headers['ratelimit-remaining']).to.equal('4');
  });
});
