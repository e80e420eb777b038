import Kafka from 'node-rdkafka';
import type { Logger } from '../logging/logger.js';
import { toAdminConfig, type ConsumerSettings } from './consumer-config.js';
import { toGatewayError } from './errors.js';
import { oauthBearerToken } from './oauthbearer.js';

export interface CompactedTopic {
  topic: string;
  partitions: number;
  timeoutMs: number;
}

/**
 * Creates a compacted topic (cleanup.policy=compact) unless it exists. Compaction keeps the
 * newest record per key, so a status topic keyed by request id stays as large as the number of
 * request ids, not of events. Replication follows the cluster's default (-1). Resolves true when
 * created, false when it was already there.
 */
export async function ensureCompactedTopic(settings: ConsumerSettings, t: CompactedTopic, log: Pick<Logger, 'info'>): Promise<boolean> {
  const admin = Kafka.AdminClient.create(toAdminConfig(settings), oauthBearerToken(settings));
  try {
    return await new Promise<boolean>((resolve, reject) => {
      admin.createTopic(
        { topic: t.topic, num_partitions: t.partitions, replication_factor: -1, config: { 'cleanup.policy': 'compact' } },
        t.timeoutMs,
        (err) => {
          if (!err) {
            log.info('created compacted topic', { topic: t.topic, partitions: t.partitions });
            return resolve(true);
          }
          if (err.code === Kafka.CODES.ERRORS.ERR_TOPIC_ALREADY_EXISTS) return resolve(false);
          reject(toGatewayError(err));
        },
      );
    });
  } finally {
    admin.disconnect();
  }
}
