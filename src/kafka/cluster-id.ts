import { Kafka, logLevel } from 'kafkajs';
import type { KafkaConnectionSettings } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { clusterIdClientConfig } from './cluster-id-client.js';
import { oauthBearerToken } from './oauthbearer.js';

// node-rdkafka 3.6.1 exposes no cluster id (no describeCluster; getMetadata() leaves it out). kafkajs's
// admin describeCluster() reads it with a Metadata request over any listener kgate itself can use
// (plaintext, TLS, mTLS, SASL PLAIN, SCRAM-SHA-256/512, OAUTHBEARER): its protocol code, not ours.
// kafkajs 2.2.4 has no dependencies and loads in ~65 ms; it answers Kafka 4 (it negotiates API versions
// newer than those KIP-896 removed), checked against the test broker for every listener kind.
// Its known faults, kept small here: releases have stopped (a later Kafka that refused it would leave the
// id unknown, nothing else); on Node 24 its request queue sets a negative timer, so the process prints one
// TimeoutNegativeWarning on stderr at the first read (upstream issue 1751, fixes unmerged); and it polls
// every 1 ms while a connection is open (issue 1704): ours lives for one request and is always closed.
// @platformatic/kafka, maintained, was measured too: 9 dependencies with a native one, ~460 ms and ~60 MB
// to import for this one call, and the same warning on a failed login.

/** The longest one read may take (connect, TLS, SASL, Metadata): the producer is connected already, so this is rarely reached. */
export const CLUSTER_ID_TIMEOUT_MS = 10_000;
/** After a failed read, another is tried on a /v3 request no sooner than this. */
export const CLUSTER_ID_RETRY_MS = 30_000;

/** Asks the cluster for its id over the producer's own connection settings; rejects with why it could not. */
export async function fetchClusterId(s: KafkaConnectionSettings, timeoutMs = CLUSTER_ID_TIMEOUT_MS): Promise<string | undefined> {
  const admin = new Kafka({ ...clusterIdClientConfig(s, oauthBearerToken(s), timeoutMs), logLevel: logLevel.NOTHING }).admin();
  const work = (async () => {
    await admin.connect();
    const { clusterId } = await admin.describeCluster();
    return clusterId === '' ? undefined : clusterId;
  })();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
    // A connect that completes after the deadline is closed too: nothing is left open (kafkajs 2.2.4 keeps a
    // 1 ms timer running on an open connection, upstream issue 1704).
    void work.then(() => admin.disconnect(), () => admin.disconnect()).catch(() => undefined);
  }
}

/** What the REST Proxy v3 routes need: the id when known, and a way to try again when it is not. */
export interface ClusterIdSource {
  /** The id read so far; no I/O. */
  known(): string | undefined;
  /** The id; when still unknown, waits for the read in flight, or starts one if the last failed long enough ago. */
  read(): Promise<string | undefined>;
}

/**
 * Reads the cluster id in the background from start-up on, so neither start-up nor a produce ever waits
 * for it. A failure is a warning naming why; the next /v3 request after CLUSTER_ID_RETRY_MS tries again.
 */
export class ClusterIdReader implements ClusterIdSource {
  private id: string | undefined;
  private pending: Promise<string | undefined> | undefined;
  private lastFailureAt = -Infinity;
  private failures = 0;

  constructor(
    private readonly fetch: () => Promise<string | undefined>,
    private readonly log: Pick<Logger, 'info' | 'warn'>,
    private readonly describe: Record<string, unknown>,
    private readonly retryMs = CLUSTER_ID_RETRY_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts the first read; returns at once. */
  start(): this {
    void this.read();
    return this;
  }

  known(): string | undefined {
    return this.id;
  }

  read(): Promise<string | undefined> {
    if (this.id !== undefined) return Promise.resolve(this.id);
    if (this.pending) return this.pending;
    if (this.now() - this.lastFailureAt < this.retryMs) return Promise.resolve(undefined);
    this.pending = this.attempt().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async attempt(): Promise<string | undefined> {
    try {
      const id = await this.fetch();
      if (id === undefined) throw new Error('the broker named no cluster id');
      this.id = id;
      if (this.failures > 0) this.log.info('Kafka cluster id read after failures', { cluster_id: id, failures: this.failures });
      return id;
    } catch (err) {
      this.failures++;
      this.lastFailureAt = this.now();
      // The message is the client's (connection refused, TLS, SASL failure...): it names no password nor token.
      this.log.warn('Kafka cluster id could not be read: the REST Proxy v3 routes list no cluster until it is', {
        problem: (err as Error).message,
        ...this.describe,
        failures: this.failures,
        retry_after_ms: this.retryMs,
      });
      return undefined;
    }
  }
}

/** The reader of the gateway's cluster id over its producer's connection settings, started. */
export function startClusterIdReader(s: KafkaConnectionSettings, log: Pick<Logger, 'info' | 'warn'>): ClusterIdReader {
  const describe = { security_protocol: s.security.protocol, ...(s.security.sasl ? { sasl_mechanism: s.security.sasl.mechanism } : {}), ...(s.security.oauthbearer ? { sasl_mechanism: 'OAUTHBEARER' } : {}) };
  return new ClusterIdReader(() => fetchClusterId(s), log, describe).start();
}
