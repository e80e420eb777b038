import { expect } from 'chai';
import express from 'express';
import helmet from 'helmet';
import type { AddressInfo } from 'node:net';
import { securityHeaders } from '../../../../src/http/middleware/security-headers.js';

async function headersOf(middleware: express.RequestHandler): Promise<Record<string, string>> {
  const app = express();
  app.use(middleware);
  app.get('/', (_req, res) => res.json({ ok: true }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await res.arrayBuffer();
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      if (k !== 'date' && k !== 'etag') out[k] = v;
    });
    return out;
  } finally {
    server.close();
  }
}

describe('securityHeaders', () => {
  it("sends exactly helmet's headers, worked out once", async () => {
    const ours = await headersOf(securityHeaders());
    const helmets = await headersOf(helmet());
    expect(ours).to.deep.equal(helmets);
    expect(ours).to.include({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN' });
    expect(ours).to.not.have.property('x-powered-by');
  });
});
