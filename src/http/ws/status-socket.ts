import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { tokenRefusalHeaders } from '../../access/bearer-token.js';
import { GatewayError, isGatewayError } from '../../errors/gateway-error.js';
import { errorAnswer, logFailure, toGatewayErrorForHttp, type FailureLog } from '../error-handler.js';
import { isRequestId, requestIdOf } from '../../shared/request-id.js';
import type { StatusEvent } from '../../status/status-event.js';
import type { StatusView } from '../../status/status-view.js';
import type { DrainState } from '../middleware/draining.js';
import { clientKey } from '../streams/client-key.js';
import type { StreamLimits } from '../streams/stream-limits.js';

export const WS_PATH = '/ws';
/** A subscribe message is a short list of ids; anything larger is not one. */
const MAX_MESSAGE_BYTES = 64 * 1024;

export interface StatusSocketDeps {
  statusView: Pick<StatusView, 'get' | 'subscribe'>;
  isStatusReady: () => boolean;
  streams: Pick<StreamLimits, 'acquire'>;
  settings: { heartbeatMs: number; maxBufferBytes: number; subscriptionsMax: number };
  drain: DrainState;
  /**
   * Authentication hook (src/access/): throws a GatewayError when this upgrade request may not
   * follow submissions; may set `req.identity` so per-client caps count by key name.
   */
  authorize?: (req: IncomingMessage) => void | Promise<void>;
  /** WWW-Authenticate of a 401 refusal (src/access/authenticate.ts), as on every other route. */
  authChallenge?: string;
  log: FailureLog;
}

export interface StatusSocket {
  /** Closes every socket (shutdown). */
  close(): void;
}

/**
 * A refused handshake answers like any other refusal, through the same mapper and log as the routes
 * (src/http/error-handler.ts): JSON error body with the request id, X-Request-Id, Retry-After where
 * the status carries one, WWW-Authenticate on a 401.
 */
function refuse(socket: Duplex, err: unknown, req: IncomingMessage, deps: Pick<StatusSocketDeps, 'log' | 'authChallenge'>): void {
  const requestId = requestIdOf(req.headers['x-request-id']);
  const gatewayError = toGatewayErrorForHttp(err);
  logFailure(deps.log, gatewayError, err, { request_id: requestId, method: req.method, route: WS_PATH });
  const answer = errorAnswer(gatewayError, requestId);
  const body = JSON.stringify(answer.body);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
    'X-Request-Id': requestId,
    ...answer.headers,
    ...(answer.status === 401 && deps.authChallenge ? { 'WWW-Authenticate': deps.authChallenge } : {}),
    // A token refusal's own RFC 6750 challenge (error="invalid_token") replaces the generic one.
    ...tokenRefusalHeaders(gatewayError),
    Connection: 'close',
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\n${head}\r\n${body}`);
}

function idsFrom(values: unknown[], max: number): string[] {
  if (values.length > max) throw new GatewayError('INVALID_FIELD', `at most ${max} request ids per socket`, { field: 'subscribe', info: { limit: max } });
  for (const id of values) if (!isRequestId(id)) throw new GatewayError('INVALID_REQUEST_ID', undefined, { field: 'subscribe' });
  return values as string[];
}

/**
 * GET /ws (WebSocket, seed 003): follow one or more request ids. `?request_id=` (repeatable)
 * subscribes at connect; a message {"subscribe": [ids]} adds more, {"unsubscribe": [ids]} drops
 * some. Every push is one status event as in the topic, the current status of each id first. A bad
 * message gets {"error": {...}} and the socket stays open. Ping every heartbeat; no pong by the next
 * one, or more than the buffer bound waiting to be sent, and the socket is closed.
 */
export function attachStatusSocket(server: Server, deps: StatusSocketDeps): StatusSocket {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    clientTracking: true,
    // A browser that offered ['access_token', <token>] needs one of its entries chosen, or it drops the
    // connection: the marker, never the token (src/access/bearer-token.ts).
    handleProtocols: (protocols) => (protocols.has('access_token') ? 'access_token' : false),
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void upgrade(req, socket, head));

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    let release: (() => void) | undefined;
    try {
      if (url.pathname !== WS_PATH) throw new GatewayError('NOT_FOUND', `no WebSocket endpoint at ${url.pathname}; use ${WS_PATH}`);
      if (deps.drain.draining) throw new GatewayError('SHUTTING_DOWN');
      await deps.authorize?.(req);
      if (!deps.isStatusReady()) throw new GatewayError('STATUS_NOT_READY');
      const initial = idsFrom(url.searchParams.getAll('request_id'), deps.settings.subscriptionsMax);
      let close = () => {};
      release = deps.streams.acquire(clientKey(req), 'status', () => close());
      const slot = release;
      wss.handleUpgrade(req, socket, head, (ws) => {
        close = () => ws.terminate();
        serve(ws, initial, slot);
      });
    } catch (err) {
      release?.();
      refuse(socket, err, req, deps);
    }
  }

  function serve(ws: WebSocket, initial: string[], release: () => void): void {
    const subscriptions = new Map<string, () => void>();
    let alive = true;

    const send = (payload: unknown) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (ws.bufferedAmount > deps.settings.maxBufferBytes) {
        deps.log.debug('websocket client too slow: dropped', { buffered: ws.bufferedAmount });
        ws.terminate();
        return;
      }
      ws.send(JSON.stringify(payload));
    };
    const push = (event: StatusEvent) => send(event);

    function subscribe(ids: string[]): void {
      const fresh = ids.filter((id) => !subscriptions.has(id));
      if (subscriptions.size + new Set(fresh).size > deps.settings.subscriptionsMax) {
        throw new GatewayError('INVALID_FIELD', `at most ${deps.settings.subscriptionsMax} request ids per socket`, {
          field: 'subscribe',
          info: { limit: deps.settings.subscriptionsMax },
        });
      }
      for (const id of fresh) {
        if (subscriptions.has(id)) continue;
        subscriptions.set(id, deps.statusView.subscribe(id, push));
        const current = deps.statusView.get(id);
        if (current) push(current.latest);
      }
    }

    function onMessage(data: RawData, isBinary: boolean): void {
      try {
        let message: unknown;
        try {
          message = JSON.parse(isBinary ? '' : data.toString());
        } catch {
          throw new GatewayError('INVALID_JSON', 'messages are JSON: {"subscribe": ["<request id>", ...]}');
        }
        if (typeof message !== 'object' || message === null || Array.isArray(message)) {
          throw new GatewayError('INVALID_BODY', 'messages are JSON objects: {"subscribe": [...]} or {"unsubscribe": [...]}');
        }
        const { subscribe: add, unsubscribe: drop } = message as Record<string, unknown>;
        if (add === undefined && drop === undefined) throw new GatewayError('INVALID_BODY', 'expected {"subscribe": [...]} or {"unsubscribe": [...]}');
        for (const [field, list] of [['subscribe', add], ['unsubscribe', drop]] as const) {
          if (list !== undefined && !Array.isArray(list)) throw new GatewayError('INVALID_FIELD', `${field} must be an array of request ids`, { field });
        }
        const max = deps.settings.subscriptionsMax;
        if (Array.isArray(drop)) {
          for (const id of idsFrom(drop, max)) {
            subscriptions.get(id)?.();
            subscriptions.delete(id);
          }
        }
        if (Array.isArray(add)) subscribe(idsFrom(add, max));
      } catch (err) {
        const e = isGatewayError(err) ? err : new GatewayError('INTERNAL', undefined, { cause: err });
        send({ error: e.toJSON() });
      }
    }

    const heartbeat = setInterval(() => {
      if (!alive) return void ws.terminate();
      alive = false;
      ws.ping();
    }, deps.settings.heartbeatMs);
    heartbeat.unref();

    ws.on('pong', () => (alive = true));
    ws.on('message', onMessage);
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearInterval(heartbeat);
      for (const off of subscriptions.values()) off();
      subscriptions.clear();
      release();
    });
    subscribe(initial);
  }

  return {
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
