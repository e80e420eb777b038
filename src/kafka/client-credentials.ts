import type { OAuthBearerSettings } from '../config/kafka-security.js';
import { TokenSourceError, type KafkaToken, type TokenSource } from './token-source.js';

const TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * RFC 6749 §4.4 client credentials against KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL, the client
 * authenticating with HTTP Basic (client_secret_basic, §2.3.1: the form-urlencoded id and secret).
 * librdkafka's own OIDC method would do this, but the librdkafka in node-rdkafka is built without libcurl.
 */
export function clientCredentialsSource(s: OAuthBearerSettings, now: () => number = Date.now): TokenSource {
  const basic = Buffer.from(`${encodeURIComponent(s.clientId)}:${encodeURIComponent(s.clientSecret.reveal())}`).toString('base64');
  const body = new URLSearchParams({ grant_type: 'client_credentials', ...(s.scope === undefined ? {} : { scope: s.scope }) }).toString();
  return {
    describe: `client credentials of KAFKA_SASL_OAUTHBEARER_CLIENT_ID=${s.clientId} at ${s.tokenEndpointUrl}`,
    async fetchToken(): Promise<KafkaToken> {
      const asked = now();
      let res: Response;
      try {
        res = await fetch(s.tokenEndpointUrl, {
          method: 'POST',
          headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body,
          signal: AbortSignal.timeout(TIMEOUT_MS),
          redirect: 'error',
        });
      } catch (err) {
        throw new TokenSourceError(`KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: ${s.tokenEndpointUrl} not reachable (${(err as Error).message})`, false);
      }
      const text = (await res.text()).slice(0, MAX_RESPONSE_BYTES);
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // reported below by status or missing field
      }
      if (!res.ok) {
        // RFC 6749 §5.2: only the error code is passed on; error_description may echo what was sent.
        const code = typeof json['error'] === 'string' ? json['error'].slice(0, 64) : `HTTP ${res.status}`;
        if (code === 'invalid_client' || code === 'unauthorized_client' || res.status === 401) {
          throw new TokenSourceError(`KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET: the token endpoint refused the client credentials of KAFKA_SASL_OAUTHBEARER_CLIENT_ID=${s.clientId} (${code})`, true);
        }
        if (code === 'invalid_scope') throw new TokenSourceError(`KAFKA_SASL_OAUTHBEARER_SCOPE: the token endpoint refused the scope (${code})`, true);
        throw new TokenSourceError(`KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: the token endpoint answered ${res.status} (${code})`, res.status >= 400 && res.status < 500);
      }
      const token = json['access_token'];
      const expiresIn = Number(json['expires_in']);
      if (typeof token !== 'string' || token === '') throw new TokenSourceError('KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: the answer holds no access_token', true);
      // expires_in is RECOMMENDED, not required; without it the token's own exp says, else a cautious minute.
      const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : expOf(token, asked) ?? 60_000;
      return { value: token, expiresAtMs: asked + lifetimeMs };
    },
  };
}

function expOf(token: string, asked: number): number | undefined {
  try {
    const exp = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 - asked : undefined;
  } catch {
    return undefined;
  }
}
