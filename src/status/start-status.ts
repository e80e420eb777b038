import type { Config } from '../config/config.js';
import { ensureCompactedTopic } from '../kafka/topic-admin.js';
import { WholeTopicReader } from '../kafka/whole-topic-reader.js';
import type { Logger } from '../logging/logger.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { decodeStatusRecord } from './status-record.js';
import { createStatusWriter, type WriteStatus } from './status-writer.js';
import { StatusView } from './status-view.js';

const SWEEP_INTERVAL_MS = 60_000;

export interface StatusRoom {
  view: StatusView;
  /** True once the view holds the whole status topic (GET /ready waits for it). */
  isReady: () => boolean;
  /** Writes a submission's status through the pipeline (the same acks=all producer). */
  writer(pipeline: Pick<Pipeline, 'run'>): WriteStatus;
  /** Resolves when the view holds the whole topic; returns how long the rebuild took. */
  rebuilt(): Promise<number>;
  /** Shutdown, last step: stops the sweep and reading the status topic. */
  close(): Promise<void>;
}

/**
 * The status room's one entry point (docs/status.md): the compacted status topic, the reader that
 * rebuilds and follows this replica's view, the sweep. No HTTP here: the HTTP layer builds its
 * SSE and WebSocket pieces from the view it is handed (src/http/status-streams.ts).
 */
export async function startStatus(config: Readonly<Config>, log: Logger): Promise<StatusRoom> {
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

  return {
    view,
    isReady: () => reader.isCaughtUp,
    writer: (pipeline) => createStatusWriter({ topic, pipeline, view }),
    async rebuilt() {
      await reader.caughtUp;
      const ms = Date.now() - startedAt;
      log.info('status view rebuilt', { topic, request_ids: view.size, ms });
      return ms;
    },
    close: () => {
      clearInterval(sweep);
      return reader.close();
    },
  };
}
