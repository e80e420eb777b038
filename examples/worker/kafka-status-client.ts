/**
 * Publishes status events straight to Kafka, for local development without API keys: the status
 * topic is reserved, so a gateway without keys refuses it to every HTTP client (docs/security.md).
 * Idempotence (which implies acks=all), like the gateway; each publish waits for its delivery report.
 */
import Kafka from 'node-rdkafka';
import type { StatusUpdate } from './status-client.js';

export interface KafkaStatusClient {
  publish(update: StatusUpdate): Promise<void>;
  close(): Promise<void>;
}

export async function connectKafkaStatusClient(bootstrapServers: string, statusTopic: string): Promise<KafkaStatusClient> {
  const pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  let nextId = 1;
  const producer = new Kafka.Producer(
    { 'bootstrap.servers': bootstrapServers, 'client.id': 'kgate-example-worker', 'enable.idempotence': true, 'linger.ms': 1, dr_cb: true },
    { 'message.timeout.ms': 30_000 },
  );
  producer.on('delivery-report', (err, report) => {
    const id = report.opaque as number;
    const waiter = pending.get(id);
    pending.delete(id);
    if (err) waiter?.reject(new Error(`status not written: ${err.message}`));
    else waiter?.resolve();
  });
  await new Promise<void>((resolve, reject) => producer.connect({ timeout: 30_000 }, (err) => (err ? reject(err) : resolve())));
  producer.setPollInterval(5);
  return {
    publish(update) {
      const id = nextId++;
      const value = Buffer.from(JSON.stringify({ ...update, updated_at: new Date().toISOString() }));
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        try {
          producer.produce(statusTopic, null, value, update.request_id, Date.now(), id);
        } catch (err) {
          pending.delete(id);
          reject(err as Error);
        }
      });
    },
    close: () => new Promise<void>((resolve) => producer.flush(5_000, () => producer.disconnect(() => resolve()))),
  };
}
