import { expect } from 'chai';
import express from 'express';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { accessLog } from '../../../../src/http/middleware/access-log.js';
import { requestId } from '../../../../src/http/middleware/request-id.js';

describe('access log', () => {
  it("names the authenticated client, never the key or any header", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const app = express();
    app.use(requestId, accessLog({ info: (_m: string, fields: Record<string, unknown>) => void lines.push(fields) } as never));
    app.use((req, _res, next) => {
      if (req.get('x-api-key') === 'secret-key') req.identity = { name: 'orders-service' };
      next();
    });
    app.get('/x', (_req, res) => void res.json({}));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
    try {
      await (await fetch(url, { headers: { 'x-api-key': 'secret-key' } })).text();
      await (await fetch(url)).text();
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      server.close();
    }
    expect(lines[0]).to.include({ client: 'orders-service', status: 200 });
    expect(lines[1]).not.to.have.property('client');
    expect(JSON.stringify(lines)).not.to.contain('secret-key');
  });
});
