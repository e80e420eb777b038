import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express, { Router } from 'express';
import { errorHandler } from '../../../../src/http/error-handler.js';
import { methodNotAllowed } from '../../../../src/http/middleware/method-not-allowed.js';
import { createLogger } from '../../../../src/logging/logger.js';

describe('methodNotAllowed middleware', () => {
  let url: string;
  let close: () => void;
  before(async () => {
    const app = express();
    app.get('/items/:id', (_req, res) => void res.json({}));
    const mounted = Router();
    mounted.post('/inner', (_req, res) => void res.json({}));
    app.use('/mount', mounted);
    app.use(methodNotAllowed(app));
    // A route mounted after the middleware (as /live once was) must still be served, not refused.
    app.get('/later', (_req, res) => void res.json({ later: true }));
    app.use((_req, res) => void res.status(404).json({ code: 'NOT_FOUND' }));
    app.use(errorHandler(createLogger('error', true)));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  after(() => close());

  it('answers 405 with the methods the path has, a parameter route and a mounted router alike', async () => {
    const put = await fetch(`${url}/items/7`, { method: 'PUT' });
    expect(put.status).to.equal(405);
    expect(put.headers.get('allow')).to.equal('GET, HEAD');
    expect(await put.json()).to.include({ code: 'METHOD_NOT_ALLOWED' });
    const get = await fetch(`${url}/mount/inner`);
    expect(get.status).to.equal(405);
    expect(get.headers.get('allow')).to.equal('POST');
  });

  it('lets a method a later route serves through, and still refuses the others there', async () => {
    const get = await fetch(`${url}/later`);
    expect(get.status).to.equal(200);
    expect(await get.json()).to.deep.equal({ later: true });
    const post = await fetch(`${url}/later`, { method: 'POST' });
    expect(post.status).to.equal(405);
    expect(post.headers.get('allow')).to.equal('GET, HEAD');
  });

  it('leaves paths no route has to the 404, and a malformed escape stays a 4xx, never a 500', async () => {
    expect((await fetch(`${url}/nothing`, { method: 'DELETE' })).status).to.equal(404);
    // Express's own matching refuses it first (400); the middleware must not turn it into anything else.
    expect((await fetch(`${url}/items/%E0%A4%A`, { method: 'PUT' })).status).to.equal(400);
  });
});
