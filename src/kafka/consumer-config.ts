import { randomUUID } from 'node:crypto';
import type { ConsumerGlobalConfig, ConsumerTopicConfig } from 'node-rdkafka';
import type { ProducerSettings } from '../config/config.js';

/** What a consumer needs of the Kafka settings; TLS/SASL settings join here with the producer's. */
export type ConsumerSettings = Pick<ProducerSettings, 'bootstrapServers' | 'clientId'>;

export interface ConsumerConfig {
  global: ConsumerGlobalConfig;
  topic: ConsumerTopicConfig;
}

/**
 * librdkafka settings of the gateway's readers (status view, topic tails). They assign partitions
 * themselves and never commit: every replica, every tail reads on its own, so the group id is
 * unique and only there because librdkafka wants one. `purpose` names the reader in broker logs.
 */
export function toConsumerConfig(s: ConsumerSettings, purpose: string): ConsumerConfig {
  return {
    global: {
      'bootstrap.servers': s.bootstrapServers,
      'client.id': `${s.clientId}-${purpose}`,
      'group.id': `${s.clientId}-${purpose}-${randomUUID()}`,
      'enable.auto.commit': false,
      'enable.auto.offset.store': false,
      // Tells the reader it has reached the end of a partition: how a rebuild knows it is complete.
      'enable.partition.eof': true,
      // The broker answers a fetch as soon as one byte is there; this only bounds an idle wait.
      'fetch.wait.max.ms': 100,
      // Bounds what librdkafka prefetches per reader (a tail per client), in KiB.
      'queued.max.messages.kbytes': 4096,
      'socket.keepalive.enable': true,
    },
    topic: { 'auto.offset.reset': 'earliest' },
  };
}

/** Settings of the short-lived admin client that creates the status topic. */
export function toAdminConfig(s: ConsumerSettings): Record<string, string | number | boolean> {
  return { 'bootstrap.servers': s.bootstrapServers, 'client.id': `${s.clientId}-admin` };
}
