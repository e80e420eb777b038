import type { Server } from 'node:http';
import type { Access } from './access/access.js';
import type { Config } from './config/config.js';
import type { AppDeps } from './http/app.js';
import type { DrainState } from './http/middleware/draining.js';
import { StreamLimits } from './http/streams/stream-limits.js';
import { attachStatusSocket, type StatusSocket } from './http/ws/status-socket.js';
import { ensureCompactedTopic } from './kafka/topic-admin.js';
import { WholeTopicReader } from './kafka/whole-topic-reader.js';
import type { Logger } from './logging/logger.js';
import type { Pipeline, Validate } from './pipeline/pipeline.js';
import { decodeStatusRecord } from './status/status-record.js';
import { createStatusRecorder } from './status/status-recorder.js';
import { StatusView } from './status/status-view.js';

const SWEEP_INTERVAL_MS = 60_000;

export interface StatusLoop {
  view: StatusView;
  /** What the HTTP app needs: lookup, SSE, tail, and /submit-code's first status. */
  appDeps(pipeline: Pick<Pipeline, 'run'>, validate: Validate): Pick<AppDeps, 'isStatusReady' | 'submissions' | 'topicTail' | 'submissionStatus'>;
  /** Adds the WebSocket endpoint to the listening server. */
  attach(server: Server, drain: DrainState): void;
  /** Resolves when the view holds the whole topic; returns how long the rebuild took. */
  rebuilt(): Promise<number>;
  /** Shutdown, first step: ends every open stream (they never end on their own). */
  endStreams(): void;
  /** Shutdown, last step: stops reading the status topic. */
  close(): Promise<void>;
}

/**
 * Composition of the status loop (docs/status.md): the compacted status topic, the reader that
 * rebuilds and follows this replica's view, the stream caps, the WebSocket endpoint. Wiring only,
 * kept out of gateway.ts so that file stays a short list of parts.
 */
export async function startStatusLoop(config: Readonly<Config>, log: Logger, access: Pick<Access, 'identify' | 'authorizeRead'>): Promise<StatusLoop> {
  const { streams: st } = config;
  const topic = config.status.topic;
  // Before anything writes to it: with auto-creation on, the first write would create it uncompacted.
  if (st.createStatusTopic) {
    await ensureCompactedTopic(config.kafka, { topic, partitions: st.statusTopicPartitions, timeoutMs: config.kafka.metadataTimeoutMs * 3 }, log);
  }
  const view = new StatusView({
    maxEntries: st.maxEntries,
    retentionMs: st.retentionMs,
    maxHistory: st.historyMax,
    onListenerError: (err) => log.error('status listener failed', { err }),
  });
  const startedAt = Date.now();
  const reader = await WholeTopicReader.start(
    config.kafka,
    {
      topic,
      purpose: 'status',
      metadataTimeoutMs: config.kafka.metadataTimeoutMs,
      onRecord: (record, replay) => {
        const decoded = decodeStatusRecord(record, replay);
        if (decoded) view.apply(decoded.event, decoded.position);
      },
    },
    log,
  );
  const sweep = setInterval(() => view.sweep(), SWEEP_INTERVAL_MS);
  sweep.unref();
  const isStatusReady = () => reader.isCaughtUp;
  const streams = new StreamLimits(st);
  const streamSettings = { heartbeatMs: st.heartbeatMs, maxBufferBytes: st.maxBufferBytes };
  let socket: StatusSocket | undefined;

  return {
    view,
    appDeps: (pipeline, validate) => ({
      isStatusReady,
      submissions: { statusView: view, isStatusReady, streams, streamSettings },
      topicTail: {
        kafka: config.kafka,
        streams,
        streamSettings: { ...streamSettings, tailIdleTimeoutMs: st.tailIdleTimeoutMs },
        // The HTTP edge has authenticated the request already; reading takes the topic's write permission.
        authorizeRead: (req, tailTopic) => access.authorizeRead(req.identity, tailTopic),
      },
      submissionStatus: { record: createStatusRecorder({ topic, pipeline, view }), validate },
    }),
    attach(server, drain) {
      socket = attachStatusSocket(server, {
        statusView: view,
        isStatusReady,
        streams,
        settings: { ...streamSettings, subscriptionsMax: st.subscriptionsMax },
        drain,
        log,
        // Upgrades bypass Express and its authentication middleware: the key is checked here.
        authorize: async (req) => {
          const identity = await access.identify(req);
          if (identity) (req as typeof req & { identity?: typeof identity }).identity = identity;
        },
      });
    },
    async rebuilt() {
      await reader.caughtUp;
      const ms = Date.now() - startedAt;
      log.info('status view rebuilt', { topic, request_ids: view.size, ms });
      return ms;
    },
    endStreams() {
      clearInterval(sweep);
      streams.closeAll();
      socket?.close();
    },
    close: () => reader.close(),
  };
}
