import { expect } from 'chai';
import express from 'express';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { errorHandler } from '../../../src/http/error-handler.js';
import { jsonBody } from '../../../src/http/middleware/json-body.js';
import { createLogger } from '../../../src/logging/logger.js';

describe('Content-Encoding of a JSON body', () => {
  let url: string;
  let close: () => void;
  before(async () => {
    const app = express();
    app.post('/x', ...jsonBody(10_000), (req, res) => void res.json({ got: req.body }));
    app.use(errorHandler(createLogger('error', true)));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
    close = () => server.close();
  });
  after(() => close());

  const post = (encoding: string, body: Buffer) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body });

  it('gzip, deflate and br bodies are decoded', async () => {
    const json = '{"a":1}';
    for (const [encoding, body] of [['gzip', gzipSync(json)], ['deflate', deflateSync(json)], ['br', brotliCompressSync(json)]] as const) {
      const res = await post(encoding, body);
      expect(res.status, encoding).to.equal(200);
      expect(await res.json()).to.deep.equal({ got: { a: 1 } });
    }
  });

  it('an encoding the gateway does not decode is 415 UNSUPPORTED_CONTENT_ENCODING, naming it', async () => {
    const res = await post('compress', Buffer.from('{"a":1}'));
    expect(res.status).to.equal(415);
    expect(await res.json()).to.include({ success: false, code: 'UNSUPPORTED_CONTENT_ENCODING', detail: 'Content-Encoding "compress" is not supported' });
  });
});
