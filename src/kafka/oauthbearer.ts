import type { KafkaConnectionSettings } from '../config/config.js';
import type { KafkaSecuritySettings } from '../config/kafka-security.js';
import type { Logger } from '../logging/logger.js';
import { clientCredentialsSource } from './client-credentials.js';
import { KafkaStartupError } from './connect.js';
import type { KafkaToken, TokenSource } from './token-source.js';

/** Refresh when this share of the token's lifetime has passed. */
const REFRESH_AT = 0.8;
const RETRY_FIRST_MS = 1000;
/** Retries stay frequent: once the token has expired, produce is refused until one succeeds. */
const RETRY_MAX_MS = 5000;
/**
 * A token this close to its end counts as expired already: the broker closes a session at the token's exp,
 * and a record handed over in the last moments would wait for a reconnection the expired token cannot make
 * (measured: a 504 at the deadline instead of a 503 at once). A tenth of the lifetime, at most 5 s.
 */
const EXPIRY_MARGIN_SHARE = 0.1;
const EXPIRY_MARGIN_MAX_MS = 5000;

/** What a node-rdkafka client offers for a token (Producer/KafkaConsumer, or AdminClient). */
export interface TokenHolder {
  setOauthBearerToken?(token: string): unknown;
  refreshOauthBearerToken?(token: string): unknown;
}

export type RefreshOutcome = 'ok' | 'failed';

/**
 * The gateway's OAUTHBEARER token, shared by the producer and every consumer. node-rdkafka 3.6.1 has no
 * binding for librdkafka's token refresh callback: setOauthBearerToken hands librdkafka a token with an
 * expiry it never reaches, so librdkafka never asks for another. This class keeps the clock instead:
 * it refreshes at 80 % of the lifetime and gives the new token to every client; librdkafka presents it
 * at the next (re)authentication. A failed refresh keeps the current token until it expires, and is
 * retried with backoff; once expired, `valid` is false (GET /ready 503, produce 503 KAFKA_UNAVAILABLE).
 */
export class OAuthBearer {
  private token: KafkaToken;
  private obtainedAt: number;
  private readonly clients = new Set<WeakRef<TokenHolder>>();
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;
  private expiredLogged = false;
  /** Called on every refresh attempt (the metric kgate_kafka_oauthbearer_refreshes_total). */
  onRefresh: ((outcome: RefreshOutcome) => void) | undefined;

  private constructor(
    private readonly source: TokenSource,
    private readonly log: Pick<Logger, 'info' | 'warn' | 'error'>,
    first: KafkaToken,
    private readonly now: () => number,
  ) {
    this.token = first;
    this.obtainedAt = now();
  }

  /** Fetches the first token; a refusal stops start-up naming the setting. */
  static async start(source: TokenSource, log: Pick<Logger, 'info' | 'warn' | 'error'>, now: () => number = Date.now): Promise<OAuthBearer> {
    let first: KafkaToken;
    try {
      first = await source.fetchToken();
    } catch (err) {
      throw new KafkaStartupError(`OAUTHBEARER: no token from the ${source.describe}: ${(err as Error).message}`, { cause: err });
    }
    const bearer = new OAuthBearer(source, log, first, now);
    log.info('OAUTHBEARER token obtained', { source: source.describe, expires_in_s: bearer.expiresInS() });
    bearer.schedule(bearer.refreshDelay());
    return bearer;
  }

  /** The current token has not expired (nor is about to: EXPIRY_MARGIN). */
  get valid(): boolean {
    const margin = Math.min(EXPIRY_MARGIN_MAX_MS, (this.token.expiresAtMs - this.obtainedAt) * EXPIRY_MARGIN_SHARE);
    return this.now() < this.token.expiresAtMs - margin;
  }

  /** Gives the current token to a client (before it connects) and every later one. */
  attach(client: TokenHolder): void {
    give(client, this.token.value);
    this.clients.add(new WeakRef(client));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private expiresInS(): number {
    return Math.round((this.token.expiresAtMs - this.now()) / 1000);
  }

  private refreshDelay(): number {
    return Math.max(RETRY_FIRST_MS, (this.token.expiresAtMs - this.obtainedAt) * REFRESH_AT - (this.now() - this.obtainedAt));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), ms);
    this.timer.unref();
  }

  private async refresh(): Promise<void> {
    try {
      const token = await this.source.fetchToken();
      if (this.stopped) return;
      this.token = token;
      this.obtainedAt = this.now();
      const recovered = this.failures > 0;
      this.failures = 0;
      this.expiredLogged = false;
      for (const ref of this.clients) {
        const client = ref.deref();
        if (client) give(client, token.value);
        else this.clients.delete(ref);
      }
      this.onRefresh?.('ok');
      this.log.info(recovered ? 'OAUTHBEARER token refreshed after failures' : 'OAUTHBEARER token refreshed', { expires_in_s: this.expiresInS() });
      this.schedule(this.refreshDelay());
    } catch (err) {
      if (this.stopped) return;
      this.failures++;
      this.onRefresh?.('failed');
      const retryMs = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (this.failures - 1));
      if (this.valid) {
        this.log.warn('OAUTHBEARER token refresh failed: keeping the current token until it expires', {
          problem: (err as Error).message,
          failures: this.failures,
          expires_in_s: this.expiresInS(),
          retry_in_ms: retryMs,
        });
      } else if (!this.expiredLogged) {
        this.expiredLogged = true;
        this.log.error('OAUTHBEARER token expired with no new one: produce answers 503 until the token endpoint answers', {
          problem: (err as Error).message,
          failures: this.failures,
          retry_in_ms: retryMs,
        });
      }
      this.schedule(retryMs);
    }
  }
}

function give(client: TokenHolder, token: string): void {
  try {
    if (client.refreshOauthBearerToken) client.refreshOauthBearerToken(token);
    else client.setOauthBearerToken?.(token);
  } catch {
    // A client already disconnected has no handle to take it; the next client gets its own.
  }
}

// One token per connection settings (the gateway's, shared by the producer and its consumers). The key is
// the frozen security settings object, which every client of one gateway shares.
const running = new WeakMap<KafkaSecuritySettings, Promise<OAuthBearer>>();
const started = new WeakMap<KafkaSecuritySettings, OAuthBearer>();

/** Starts the token source of these settings once (the producer's connect calls it first); undefined without OAUTHBEARER. */
export async function ensureOAuthBearer(s: Pick<KafkaConnectionSettings, 'security'>, log: Pick<Logger, 'info' | 'warn' | 'error'>): Promise<OAuthBearer | undefined> {
  const settings = s.security.oauthbearer;
  if (!settings) return undefined;
  let pending = running.get(s.security);
  if (!pending) {
    pending = OAuthBearer.start(clientCredentialsSource(settings), log);
    running.set(s.security, pending);
    pending.then((b) => started.set(s.security, b), () => running.delete(s.security));
  }
  return pending;
}

/** Gives a new client the token (before it connects) and every later one; a no-op without OAUTHBEARER. */
export function attachOAuthBearer(s: Pick<KafkaConnectionSettings, 'security'>, client: TokenHolder): OAuthBearer | undefined {
  if (!s.security.oauthbearer) return undefined;
  const bearer = started.get(s.security);
  if (!bearer) throw new Error('OAUTHBEARER: the token source has not been started (ensureOAuthBearer before the first client)');
  bearer.attach(client);
  return bearer;
}

/** The current token for a short-lived client created with it (AdminClient.create); undefined without OAUTHBEARER. */
export function oauthBearerToken(s: Pick<KafkaConnectionSettings, 'security'>): string | undefined {
  if (!s.security.oauthbearer) return undefined;
  const holder: { token?: string } = {};
  attachOAuthBearer(s, { setOauthBearerToken: (t) => (holder.token = t) });
  return holder.token;
}

/** Stops refreshing (shutdown). */
export function stopOAuthBearer(s: Pick<KafkaConnectionSettings, 'security'>): void {
  started.get(s.security)?.stop();
  started.delete(s.security);
  running.delete(s.security);
}
