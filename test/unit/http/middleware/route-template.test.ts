import { expect } from 'chai';
import express, { Router, type Express } from 'express';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { httpMetrics } from '../../../../src/http/middleware/http-metrics.js';
import { trackRouteTemplates } from '../../../../src/http/middleware/route-template.js';
import { declareMetrics } from '../../../../src/metrics/metrics.js';
import { parseSamples } from '../../../helpers/prometheus.js';

async function listen(app: Express): Promise<{ url: string; close: () => void }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

describe('HTTP metrics are labelled by route template', () => {
  const registry = new Registry();
  const metrics = declareMetrics(registry);
  let server: { url: string; close: () => void };

  before(async () => {
    const app = express();
    trackRouteTemplates(app);
    app.use(httpMetrics(metrics.http));
    const items = Router();
    items.get('/:id', (req, res) => void res.json({ id: req.params['id'] }));
    items.post('/:id/fail', () => {
      throw new Error('boom');
    });
    app.use('/items', items);
    app.get('/plain', (_req, res) => void res.send('ok'));
    app.post('/items/:id/records\\:batch', (_req, res) => void res.send('ok'));
    app.use((_req, res) => void res.status(404).end());
    app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => void res.status(500).end());
    server = await listen(app);
  });
  after(() => server.close());

  async function routes(): Promise<string[]> {
    // The 'close' event that records a request may run just after the client has its answer.
    await new Promise((r) => setTimeout(r, 20));
    return parseSamples(await registry.metrics())
      .filter((s) => s.name === 'kgate_http_requests_total')
      .map((s) => `${s.labels['method']} ${s.labels['route']} ${s.labels['status']}`)
      .sort();
  }

  it('uses the template, never the raw URL; the router mount is kept even when an error leaves the router', async () => {
    await fetch(`${server.url}/items/123`);
    await fetch(`${server.url}/items/456`);
    await fetch(`${server.url}/items/9/fail`, { method: 'POST' });
    await fetch(`${server.url}/plain?secret=1`);
    await fetch(`${server.url}/no/such/path/${Math.random()}`);
    expect(await routes()).to.deep.equal([
      'GET /items/:id 200',
      'GET /plain 200',
      'GET unmatched 404',
      'POST /items/:id/fail 500',
    ]);
    const text = await registry.metrics();
    // In a label value, that is: a sample's value (a duration, a timestamp) may happen to hold the digits.
    expect(text).not.to.match(/="[^"]*123[^"]*"/);
    expect(text).not.to.contain('secret');
  });

  it('a literal colon escaped in the route (REST Proxy v3 `records:batch`) is labelled as clients write it', async () => {
    await fetch(`${server.url}/items/7/records:batch`, { method: 'POST' });
    expect(await routes()).to.include('POST /items/:id/records:batch 200');
  });

  it('puts unusual methods under OTHER', async () => {
    await fetch(`${server.url}/plain`, { method: 'PROPFIND' });
    expect(await routes()).to.include('OTHER unmatched 404');
  });
});
