import { expect } from 'chai';
import { WebSocket } from 'ws';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { produceWithKcat } from '../helpers/kcat.js';
import { openSse } from '../helpers/sse.js';
import { signRequest } from '../../src/access/signature.js';
import { newKey, sha256Hex, writeKeysFile } from '../helpers/keys-file.js';

const status = (request_id: string, s: string) => ({ request_id, status: s, updated_at: new Date().toISOString() });

/** A WebSocket client whose messages are queued for next(). */
async function connect(url: string): Promise<{ ws: WebSocket; next: (timeoutMs?: number) => Promise<any>; closed: Promise<number> }> {
  const ws = new WebSocket(url);
  const queue: any[] = [];
  const waiters: Array<(v: any) => void> = [];
  ws.on('message', (data) => {
    const v = JSON.parse(String(data));
    const w = waiters.shift();
    if (w) w(v);
    else queue.push(v);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    closed,
    next: (timeoutMs = 10_000) =>
      queue.length
        ? Promise.resolve(queue.shift())
        : new Promise((resolve, reject) => {
            const t = setTimeout(() => reject(new Error('no WebSocket message in time')), timeoutMs);
            waiters.push((v) => {
              clearTimeout(t);
              resolve(v);
            });
          }),
  };
}

/** The HTTP status of a refused upgrade. */
function refusedWith(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => reject(new Error('upgrade was accepted')));
    ws.on('error', () => {});
  });
}

describe('WebSocket /ws and stream bounds (real broker)', function () {
  this.timeout(120_000);
  const topic = uniqueTopic('status-ws');
  let gw: RunningGateway;
  let wsUrl: string;

  before(async () => {
    gw = await startTestGateway({ STATUS_TOPIC: topic, STREAMS_MAX_PER_CLIENT: '3', SUBSCRIPTIONS_MAX: '3' });
    wsUrl = gw.url.replace('http:', 'ws:') + '/ws';
  });
  after(async () => {
    await gw?.shutdown();
  });

  it('pushes the current status of each subscribed id first, then every change in order', async () => {
    const a = (await postJson(`${gw.url}/submit-code`, { code: 'print(1)', language: 'python' })).body.request_id as string;
    const b = (await postJson(`${gw.url}/submit-code`, { code: 'print(2)', language: 'python' })).body.request_id as string;
    const client = await connect(`${wsUrl}?request_id=${a}`);
    try {
      expect(await client.next()).to.include({ request_id: a, status: 'queued' });
      client.ws.send(JSON.stringify({ subscribe: [b] }));
      expect(await client.next()).to.include({ request_id: b, status: 'queued' });
      await produceWithKcat(topic, [
        { key: a, value: status(a, 'PENDING') },
        { key: b, value: status(b, 'PENDING') },
        { key: a, value: status(a, 'PROCESSING') },
        { key: a, value: status(a, 'FAILED') },
      ]);
      const got: string[] = [];
      for (let i = 0; i < 4; i++) {
        const e = await client.next();
        got.push(`${e.request_id === a ? 'a' : 'b'}:${e.status}`);
      }
      // Order per request id is the topic's order; a and b may interleave either way across partitions.
      expect(got.filter((s) => s.startsWith('a:'))).to.deep.equal(['a:PENDING', 'a:PROCESSING', 'a:FAILED']);
      expect(got).to.include('b:PENDING');
    } finally {
      client.ws.close();
    }
  });

  it('answers a bad message with an error message and stays open', async () => {
    const client = await connect(wsUrl);
    try {
      client.ws.send('not json');
      expect((await client.next()).error).to.include({ code: 'INVALID_JSON' });
      client.ws.send(JSON.stringify({ subscribe: ['bad id!'] }));
      expect((await client.next()).error).to.include({ code: 'INVALID_REQUEST_ID' });
      client.ws.send(JSON.stringify({ subscribe: 'x' }));
      expect((await client.next()).error).to.include({ code: 'INVALID_FIELD' });
      client.ws.send(JSON.stringify({ subscribe: ['a', 'b', 'c', 'd'] }));
      expect((await client.next()).error).to.include({ code: 'INVALID_FIELD', limit: 3 });
      client.ws.send(JSON.stringify({ hello: 1 }));
      expect((await client.next()).error).to.include({ code: 'INVALID_BODY' });
      expect(client.ws.readyState).to.equal(WebSocket.OPEN);
    } finally {
      client.ws.close();
    }
  });

  it('refuses an upgrade with a bad request id (400) or on another path (404)', async () => {
    expect(await refusedWith(`${wsUrl}?request_id=${'x'.repeat(200)}`)).to.equal(400);
    expect(await refusedWith(gw.url.replace('http:', 'ws:') + '/elsewhere')).to.equal(404);
  });

  it('a refused handshake carries X-Request-Id (the caller\'s when valid) and request_id, as the document says', async () => {
    const refused = (headers: Record<string, string>) =>
      new Promise<{ id: string | undefined; body: string }>((resolve, reject) => {
        const ws = new WebSocket(`${wsUrl}?request_id=${'x'.repeat(200)}`, { headers });
        ws.on('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c));
          res.on('end', () => resolve({ id: res.headers['x-request-id'] as string | undefined, body }));
        });
        ws.on('open', () => reject(new Error('upgrade was accepted')));
        ws.on('error', () => {});
      });
    const mine = await refused({ 'X-Request-Id': 'ws-trace-1' });
    expect(mine.id).to.equal('ws-trace-1');
    expect(JSON.parse(mine.body)).to.include({ code: 'INVALID_REQUEST_ID', request_id: 'ws-trace-1' });
    const made = await refused({});
    expect(made.id).to.match(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(made.body).request_id).to.equal(made.id);
  });

  it('a plain GET /ws (no handshake) answers 426 UPGRADE_REQUIRED with Upgrade: websocket, other methods 405', async () => {
    // Was 404 NOT_FOUND ("no route"): the endpoint lived only in the server's upgrade handler.
    const plain = await fetch(`${gw.url}/ws`);
    expect(plain.status).to.equal(426);
    expect(plain.headers.get('upgrade')).to.equal('websocket');
    expect(((await plain.json()) as { code: string }).code).to.equal('UPGRADE_REQUIRED');
    const post = await fetch(`${gw.url}/ws`, { method: 'POST' });
    expect(post.status).to.equal(405);
    expect(post.headers.get('allow')).to.equal('GET');
  });

  it('caps open streams per client (429) across SSE and WebSocket, and frees the slot on close', async () => {
    const id = (await postJson(`${gw.url}/submit-code`, { code: 'print(3)', language: 'python' })).body.request_id as string;
    const s1 = await openSse(`${gw.url}/submissions/${id}/events`);
    const s2 = await openSse(`${gw.url}/submissions/${id}/events`);
    const w1 = await connect(`${wsUrl}?request_id=${id}`);
    try {
      const refused = await openSse(`${gw.url}/submissions/${id}/events`);
      expect(refused.status).to.equal(429);
      expect(refused.body).to.include({ code: 'TOO_MANY_CLIENT_STREAMS', limit: 3 });
      expect(await refusedWith(`${wsUrl}?request_id=${id}`)).to.equal(429);
    } finally {
      s1.close();
      w1.ws.close();
      await w1.closed;
    }
    await new Promise((r) => setTimeout(r, 200));
    const again = await openSse(`${gw.url}/submissions/${id}/events`);
    expect(again.status).to.equal(200);
    again.close();
    s2.close();
  });
});

describe('gateway-wide stream cap (real broker)', function () {
  this.timeout(120_000);
  it('503 TOO_MANY_STREAMS beyond STREAMS_MAX_OPEN', async () => {
    const gw = await startTestGateway({ STATUS_TOPIC: uniqueTopic('status-cap'), STREAMS_MAX_OPEN: '1' });
    try {
      const id = (await postJson(`${gw.url}/submit-code`, { code: 'print(4)', language: 'python' })).body.request_id as string;
      const s1 = await openSse(`${gw.url}/submissions/${id}/events`);
      expect(s1.status).to.equal(200);
      const s2 = await openSse(`${gw.url}/submissions/${id}/events`);
      expect(s2.status).to.equal(503);
      expect(s2.body).to.include({ code: 'TOO_MANY_STREAMS' });
      expect(s2.headers.get('retry-after')).to.equal('1');
      s1.close();
    } finally {
      await gw.shutdown();
    }
  });
});

describe('shutdown with open streams (real broker)', function () {
  this.timeout(120_000);
  it('ends open SSE streams and WebSockets instead of waiting for them', async () => {
    const gw = await startTestGateway({ STATUS_TOPIC: uniqueTopic('status-stop'), SHUTDOWN_TIMEOUT_MS: '600000' });
    const id = (await postJson(`${gw.url}/submit-code`, { code: 'print(7)', language: 'python' })).body.request_id as string;
    const sse = await openSse(`${gw.url}/submissions/${id}/events`);
    expect((await sse.next()).status).to.equal('queued');
    const client = await connect(`${gw.url.replace('http:', 'ws:')}/ws?request_id=${id}`);
    expect((await client.next()).status).to.equal('queued');
    // Were the streams waited for, shutdown would take the whole 10-minute drain budget and the
    // test would hit its timeout.
    await gw.shutdown();
    expect(await sse.next()).to.equal(undefined);
    expect(await client.closed).to.be.a('number');
  });
});

/** A refused upgrade's status, headers and JSON body. */
function refusal(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) });
        ws.terminate();
      });
    });
    ws.on('open', () => reject(new Error('upgrade was accepted')));
    ws.on('error', () => {});
  });
}

function opens(url: string, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve();
    });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.on('error', () => {});
  });
}

describe('WebSocket /ws with authentication on (real broker)', function () {
  this.timeout(120_000);
  const key = newKey();
  const secret = 'ws-signing-secret-0123456789';
  let gw: RunningGateway;
  let wsUrl: string;
  const now = () => Math.floor(Date.now() / 1000);

  before(async () => {
    gw = await startTestGateway({
      STATUS_TOPIC: uniqueTopic('status-ws-auth'),
      AUTH_KEYS_FILE: writeKeysFile([
        { name: 'keyed', key_sha256: sha256Hex(key), topics: [] },
        { name: 'signer', hmac_secret: secret, topics: [] },
      ]),
      HMAC_TOLERANCE_S: '300',
    });
    wsUrl = gw.url.replace('http:', 'ws:') + '/ws';
  });
  after(() => gw?.shutdown());

  it('refuses a handshake without credentials: 401 AUTH_REQUIRED with WWW-Authenticate, as the document says', async () => {
    const res = await refusal(wsUrl);
    expect(res.status).to.equal(401);
    expect(res.body).to.include({ success: false, code: 'AUTH_REQUIRED' });
    expect(res.headers['www-authenticate']).to.contain('Bearer').and.contain('KgateSignature');
    const bad = await refusal(wsUrl, { authorization: 'Bearer not-a-known-key' });
    expect(bad.status).to.equal(401);
    expect(bad.body.code).to.equal('INVALID_API_KEY');
    expect(bad.headers['www-authenticate']).to.contain('Bearer');
  });

  it('accepts a handshake with an API key', async () => {
    await opens(wsUrl, { authorization: `Bearer ${key}` });
  });

  it('accepts a signed handshake (signature over the empty body) and refuses a wrong or stale one', async () => {
    await opens(wsUrl, { 'x-kgate-client': 'signer', 'x-kgate-signature': signRequest(secret, now(), '') });
    const wrong = await refusal(wsUrl, { 'x-kgate-client': 'signer', 'x-kgate-signature': signRequest('another-secret-0123456789', now(), '') });
    expect(wrong.status).to.equal(401);
    expect(wrong.body.code).to.equal('SIGNATURE_INVALID');
    expect(wrong.headers['www-authenticate']).to.contain('KgateSignature');
    const stale = await refusal(wsUrl, { 'x-kgate-client': 'signer', 'x-kgate-signature': signRequest(secret, now() - 301, '') });
    expect(stale.body.code).to.equal('SIGNATURE_EXPIRED');
    const malformed = await refusal(wsUrl, { 'x-kgate-client': 'signer' });
    expect(malformed.body.code).to.equal('SIGNATURE_MALFORMED');
  });
});
