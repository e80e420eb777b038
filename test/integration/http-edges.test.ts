import { expect } from 'chai';
import net from 'node:net';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { startTestGateway } from '../helpers/gateway.js';
import { newKey, sha256Hex, writeKeysFile } from '../helpers/keys-file.js';
import { streamNdjson } from '../helpers/ndjson.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes raw bytes (in parts, with pauses) and returns everything the server sent until it closed. */
function raw(url: string, parts: Array<string | number>): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let answer = '';
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.once('connect', async () => {
      for (const part of parts) {
        if (typeof part === 'number') await sleep(part);
        else if (!socket.destroyed) socket.write(part);
      }
    });
  });
}

function parse(answer: string): { status: number; headers: Record<string, string>; body: any } {
  const [head, body] = answer.split('\r\n\r\n', 2) as [string, string];
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine!.split(' ')[1]), headers, body: JSON.parse(body) };
}

// Issue 26, finding 8: Node's own 400/431 were not JSON and had no X-Request-Id; a short body was waited for 300 s.
describe("answers outside the routes are JSON too: Node's refusals and the timeouts (keys on)", function () {
  this.timeout(60_000);
  const topic = uniqueTopic('edges');
  const alice = newKey();
  let gw: RunningGateway;
  before(async () => {
    gw = await startTestGateway({
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      HTTP_REQUEST_TIMEOUT_MS: '1500',
      AUTH_KEYS_FILE: writeKeysFile([
        { name: 'alice', key_sha256: sha256Hex(alice), topics: [topic] },
        { name: 'bob', key_sha256: sha256Hex(newKey()), topics: [topic] },
      ]),
    });
  });
  after(() => gw?.shutdown());

  const expectJsonRefusal = (answer: string, status: number, code: string) => {
    const res = parse(answer);
    expect(res.status, answer.slice(0, 200)).to.equal(status);
    expect(res.headers['content-type']).to.match(/^application\/json/);
    expect(res.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    expect(res.body).to.include({ success: false, code, request_id: res.headers['x-request-id'] });
  };

  it('a 20 KB header → 431 HEADERS_TOO_LARGE as JSON with X-Request-Id', async () => {
    const answer = await raw(gw.url, [`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`]);
    expectJsonRefusal(answer, 431, 'HEADERS_TOO_LARGE');
  });

  it('a request Node cannot parse → 400 MALFORMED_REQUEST as JSON with X-Request-Id', async () => {
    expectJsonRefusal(await raw(gw.url, ['POST /produce HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab']), 400, 'MALFORMED_REQUEST');
    expectJsonRefusal(await raw(gw.url, ['GARBAGE\r\n\r\n']), 400, 'MALFORMED_REQUEST');
  });

  it('an HTTP/1.0 POST without a length is answered as JSON with X-Request-Id', async () => {
    const answer = await raw(gw.url, [`POST /produce HTTP/1.0\r\nHost: x\r\nX-API-Key: ${alice}\r\nContent-Type: application/json\r\n\r\n{"topic":"${topic}","message":1}`, 300]);
    const res = parse(answer);
    expect(res.headers['content-type']).to.match(/^application\/json/);
    expect(res.headers['x-request-id']).to.be.a('string');
    expect(res.body).to.have.property('success', false);
  });

  it('a body shorter than its Content-Length → 408 REQUEST_TIMEOUT as JSON after HTTP_REQUEST_TIMEOUT_MS, not 300 s', async () => {
    const started = Date.now();
    const answer = await raw(gw.url, [
      `POST /produce HTTP/1.1\r\nHost: x\r\nX-API-Key: ${alice}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"topic":`,
    ]);
    expectJsonRefusal(answer, 408, 'REQUEST_TIMEOUT');
    expect(parse(answer).headers['connection']).to.equal('close');
    expect(Date.now() - started).to.be.below(20_000);
  });

  it('headers that never end → 408 REQUEST_TIMEOUT as JSON after HTTP_HEADERS_TIMEOUT_MS', async () => {
    const answer = await raw(gw.url, ['GET /health HTTP/1.1\r\nHost: x\r\n', 600, 'X-Slow: 1\r\n']);
    expectJsonRefusal(answer, 408, 'REQUEST_TIMEOUT');
  });

  it('an NDJSON stream outlives HTTP_REQUEST_TIMEOUT_MS while data flows; a silence that long ends it with REQUEST_TIMEOUT', async () => {
    function* steady(): Generator<string> {
      for (let i = 0; i < 3; i++) yield `${JSON.stringify({ topic, message: { i } })}\n`;
    }
    // 3 s of steady sending (a line every 0.6 s), twice the timeout: every line written.
    const lines = [...steady()];
    const { hostname, port } = new URL(gw.url);
    const slow = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), hostname);
      let answer = '';
      socket.on('data', (d) => (answer += d.toString()));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
      socket.once('connect', async () => {
        socket.write(`POST /produce/batch HTTP/1.1\r\nHost: x\r\nX-API-Key: ${alice}\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n`);
        for (let i = 0; i < 5; i++) {
          const line = lines[i % 3]!;
          socket.write(`${Buffer.byteLength(line).toString(16)}\r\n${line}\r\n`);
          await sleep(600);
        }
        // Then silence: the stream is ended with REQUEST_TIMEOUT on the next line.
      });
    });
    const results = slow.split('\r\n\r\n')[1]!.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(results.filter((r) => r.success)).to.have.length(5);
    expect(results.at(-1)).to.include({ line: 6, success: false, code: 'REQUEST_TIMEOUT' });
    // A stream that is simply fast is untouched.
    const fast = await streamNdjson(gw.url, lines, { headers: { 'x-api-key': alice } });
    expect(fast.ok).to.equal(3);
  });
});
