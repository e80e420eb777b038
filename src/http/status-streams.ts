import type { Server } from 'node:http';
import type { Access } from '../access/access.js';
import { WWW_AUTHENTICATE } from '../access/authenticate.js';
import type { StreamSettings } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { StatusRoom } from '../status/start-status.js';
import type { Validate } from '../pipeline/pipeline.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import type { AppDeps } from './app.js';
import type { DrainState } from './middleware/draining.js';
import type { OpenTail } from './routes/topic-tail.js';
import { StreamLimits } from './streams/stream-limits.js';
import { attachStatusSocket, type StatusSocket } from './ws/status-socket.js';

export interface StatusStreams {
  /** What the HTTP app needs: lookup, SSE, tail, and /submit-code's first status. */
  appDeps: Pick<AppDeps, 'isStatusReady' | 'submissions' | 'topicTail' | 'submissionStatus'>;
  /** Adds the WebSocket endpoint to the listening server. */
  attach(server: Server, drain: DrainState): void;
  /** Shutdown, first step: ends every open stream (they never end on their own). */
  endStreams(): void;
}

export interface StatusStreamsDeps {
  status: Pick<StatusRoom, 'view' | 'isReady' | 'writer'>;
  pipeline: Pick<Pipeline, 'run'>;
  validate: Validate;
  settings: StreamSettings;
  access: Pick<Access, 'identify' | 'authorizeRead'>;
  /** A consumer of a topic for GET /topics/{topic}/events, built by the composition root (src/kafka/). */
  openTail: OpenTail;
  log: Logger;
}

/**
 * The HTTP pieces of the status room (docs/status.md), built from the view they are handed: the
 * stream caps shared by SSE, the tail and the WebSocket, the routes' deps, the WebSocket endpoint.
 */
export function statusStreams({ status, pipeline, validate, settings: st, access, openTail, log }: StatusStreamsDeps): StatusStreams {
  const streams = new StreamLimits(st);
  const streamSettings = { heartbeatMs: st.heartbeatMs, maxBufferBytes: st.maxBufferBytes };
  const isStatusReady = status.isReady;
  let socket: StatusSocket | undefined;
  return {
    appDeps: {
      isStatusReady,
      submissions: { statusView: status.view, isStatusReady, streams, streamSettings },
      topicTail: {
        openTail,
        streams,
        streamSettings: { ...streamSettings, tailIdleTimeoutMs: st.tailIdleTimeoutMs },
        // The HTTP edge has authenticated the request already; reading takes the topic's write permission.
        authorizeRead: (req, tailTopic) => access.authorizeRead(req.identity, tailTopic),
      },
      submissionStatus: { record: status.writer(pipeline), validate },
    },
    attach(server, drain) {
      socket = attachStatusSocket(server, {
        statusView: status.view,
        isStatusReady,
        streams,
        settings: { ...streamSettings, subscriptionsMax: st.subscriptionsMax },
        drain,
        log,
        authChallenge: WWW_AUTHENTICATE,
        // Upgrades bypass Express and its authentication middleware: the key is checked here.
        authorize: async (req) => {
          const identity = await access.identify(req);
          if (identity) (req as typeof req & { identity?: typeof identity }).identity = identity;
        },
      });
    },
    endStreams() {
      streams.closeAll();
      socket?.close();
    },
  };
}
