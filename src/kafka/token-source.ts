/** A bearer token for Kafka's SASL/OAUTHBEARER and when it stops being valid. */
export interface KafkaToken {
  /** The compact token as the broker expects it. Never logged. */
  value: string;
  /** Epoch milliseconds. */
  expiresAtMs: number;
}

/**
 * Where the gateway gets its OAUTHBEARER tokens: one call, no state the caller must know about.
 * The client-credentials fetcher (client-credentials.ts) is one implementation; another provider
 * plugs in by implementing this (docs/security.md#another-token-source), and src/kafka/oauthbearer.ts
 * does the rest: refresh ahead of expiry, retries with backoff, handing the token to every client.
 */
export interface TokenSource {
  /** Which setting to blame when the source refuses outright (a start-up error names it). */
  readonly describe: string;
  /** A fresh token; rejects with TokenSourceError on a refusal that retrying will not cure. */
  fetchToken(): Promise<KafkaToken>;
}

/** A refusal that no retry cures (wrong client secret, unknown client): start-up stops with it. */
export class TokenSourceError extends Error {
  constructor(message: string, readonly permanent: boolean) {
    super(message);
    this.name = 'TokenSourceError';
  }
}
