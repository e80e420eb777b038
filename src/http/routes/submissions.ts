import { Router, type Request } from 'express';
import { GatewayError } from '../../errors/gateway-error.js';
import { isRequestId } from '../../shared/request-id.js';
import { isTerminal, type StatusEvent } from '../../status/status-event.js';
import type { StatusView } from '../../status/status-view.js';
import { clientKey } from '../streams/client-key.js';
import { openSse } from '../streams/sse.js';
import type { StreamLimits } from '../streams/stream-limits.js';
import { WS_PATH } from '../ws/status-socket.js';

export interface SubmissionRouteDeps {
  statusView: Pick<StatusView, 'get' | 'subscribe'>;
  /** False while the view is still being rebuilt from the status topic at start-up. */
  isStatusReady: () => boolean;
  streams: Pick<StreamLimits, 'acquire'>;
  streamSettings: { heartbeatMs: number; maxBufferBytes: number };
}

function requestIdOf(req: Request): string {
  const id = req.params['request_id'];
  if (!isRequestId(id)) throw new GatewayError('INVALID_REQUEST_ID', undefined, { field: 'request_id' });
  return id;
}

/**
 * Seed 004's polling lookup and seed 003's live updates, both answered from this replica's status
 * view (docs/status.md): GET /submissions/{request_id} and GET /submissions/{request_id}/events (SSE).
 */
export function submissionRoutes(deps: SubmissionRouteDeps): Router {
  const router = Router();

  function current(id: string): { latest: StatusEvent; history: readonly StatusEvent[] } {
    if (!deps.isStatusReady()) throw new GatewayError('STATUS_NOT_READY');
    const snapshot = deps.statusView.get(id);
    if (!snapshot) throw new GatewayError('SUBMISSION_NOT_FOUND', undefined, { info: { request_id: id } });
    return snapshot;
  }

  router.get('/submissions/:request_id', (req, res) => {
    const id = requestIdOf(req);
    const { latest, history } = current(id);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ request_id: id, status: latest.status, updated_at: latest.updated_at, terminal: isTerminal(latest.status), latest, history });
  });

  router.get('/submissions/:request_id/events', (req, res) => {
    const id = requestIdOf(req);
    const { latest } = current(id);
    // Hooks for src/access/: read permission on the status of this id would be checked here.
    let unsubscribe: () => void = () => {};
    let release: () => void = () => {};
    release = deps.streams.acquire(clientKey(req), 'status', () => stream.close());
    const stream = openSse(res, {
      ...deps.streamSettings,
      onClose: () => {
        unsubscribe();
        release();
      },
    });
    const push = (event: StatusEvent) => {
      if (!stream.send(JSON.stringify(event))) return;
      if (isTerminal(event.status)) stream.close();
    };
    // Subscribe and read the current status in the same tick: the view applies events
    // synchronously, so no change can fall between the two.
    unsubscribe = deps.statusView.subscribe(id, push);
    push(latest);
  });

  // The WebSocket handshake never reaches Express (the server's upgrade handler takes it); a plain
  // GET does, and is told what the endpoint wants instead of "no route".
  router.get(WS_PATH, (_req, res) => {
    res.setHeader('Upgrade', 'websocket');
    throw new GatewayError('UPGRADE_REQUIRED');
  });

  for (const path of ['/submissions/:request_id', '/submissions/:request_id/events', WS_PATH]) {
    router.all(path, (_req, res) => {
      res.setHeader('Allow', 'GET');
      throw new GatewayError('METHOD_NOT_ALLOWED', `use GET ${path}`);
    });
  }
  return router;
}
