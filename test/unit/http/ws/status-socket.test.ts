import { expect } from 'chai';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { GatewayError } from '../../../../src/errors/gateway-error.js';
import { attachStatusSocket, type StatusSocketDeps } from '../../../../src/http/ws/status-socket.js';

interface Logged {
  level: string;
  message: string;
  meta: Record<string, unknown>;
}

/** A refused handshake goes through the routes' error mapper and log (src/http/error-handler.ts). */
describe('WebSocket handshake refusals', () => {
  let server: http.Server;
  let url: string;
  let logged: Logged[];
  let ready: boolean;
  let authorize: StatusSocketDeps['authorize'];

  beforeEach(async () => {
    logged = [];
    ready = true;
    authorize = undefined;
    const record = (level: string) => (message: string, meta: Record<string, unknown> = {}) => void logged.push({ level, message, meta });
    server = http.createServer((_req, res) => res.end());
    attachStatusSocket(server, {
      statusView: { get: () => undefined, subscribe: () => () => {} },
      isStatusReady: () => ready,
      streams: { acquire: () => () => {} },
      settings: { heartbeatMs: 30_000, maxBufferBytes: 1 << 20, subscriptionsMax: 10 },
      drain: { draining: false },
      authorize: (req) => authorize?.(req),
      authChallenge: 'Bearer realm="kgate"',
      log: { error: record('error'), warn: record('warn'), debug: record('debug') } as unknown as StatusSocketDeps['log'],
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
  });
  afterEach(() => {
    server.closeAllConnections();
    server.close();
  });

  function refused(): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.on('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }));
      });
      ws.on('open', () => reject(new Error('upgrade was accepted')));
      ws.on('error', () => {});
    });
  }

  it('an unexpected error is 500 INTERNAL without its message, and is logged at error with the error', async () => {
    authorize = () => {
      throw new Error('secret internals');
    };
    const res = await refused();
    expect(res.status).to.equal(500);
    expect(res.body).to.include({ success: false, code: 'INTERNAL' });
    expect(JSON.stringify(res.body)).not.to.contain('secret internals');
    const entry = logged.find((l) => l.level === 'error');
    expect(entry?.meta).to.include({ code: 'INTERNAL', route: '/ws', request_id: res.body.request_id });
    expect((entry?.meta['err'] as Error).message).to.equal('secret internals');
  });

  it('503 carries Retry-After, as every 503 and 504 does (errors/codes.ts)', async () => {
    ready = false;
    const res = await refused();
    expect(res.status).to.equal(503);
    expect(res.body.code).to.equal('STATUS_NOT_READY');
    expect(res.headers['retry-after']).to.equal('1');
    expect(res.headers['x-request-id']).to.equal(res.body.request_id);
  });

  it('401 carries the WWW-Authenticate challenge', async () => {
    authorize = () => {
      throw new GatewayError('AUTH_REQUIRED');
    };
    const res = await refused();
    expect(res.status).to.equal(401);
    expect(res.headers['www-authenticate']).to.equal('Bearer realm="kgate"');
  });
});
