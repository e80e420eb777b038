import type Kafka from 'node-rdkafka';

/** How long a consumer must have delivered nothing before it is safe to disconnect. */
const QUIET_MS = 200;
const QUIET_MAX_WAIT_MS = 3000;

/**
 * Stops a flowing-mode consumer safely and within a bound. Measured with node-rdkafka 3.6.1:
 * disconnecting while its consume loop still has messages or EOF events queued for JavaScript
 * crashes the process (SIGSEGV, right after reading 100 000 records), and librdkafka's close
 * sometimes never calls back. So: release the partitions (nothing more is fetched), wait until
 * nothing has arrived for QUIET_MS, then disconnect, giving up waiting after `timeoutMs`.
 * `lastActivity` is the time of the last message or EOF event the caller saw.
 */
export async function disconnectWithin(consumer: Kafka.KafkaConsumer, timeoutMs: number, lastActivity: () => number): Promise<void> {
  try {
    consumer.unassign();
  } catch {
    // not connected any more
  }
  const giveUp = Date.now() + QUIET_MAX_WAIT_MS;
  while (Date.now() - lastActivity() < QUIET_MS && Date.now() < giveUp) {
    await new Promise((r) => setTimeout(r, QUIET_MS / 4));
  }
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    consumer.disconnect(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
