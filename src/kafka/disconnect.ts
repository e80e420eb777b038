import type Kafka from 'node-rdkafka';

/**
 * Stops a consumer within a bound. librdkafka's close can take seconds (it waits for its threads)
 * and, measured with several consumers in one process, sometimes does not call back at all; a
 * shutdown or a closed tail must not hang on it. Partitions are released first so nothing more is fetched.
 */
export function disconnectWithin(consumer: Kafka.KafkaConsumer, timeoutMs: number): Promise<void> {
  try {
    consumer.unassign();
  } catch {
    // not connected any more
  }
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    consumer.disconnect(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
