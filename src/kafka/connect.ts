import type { EventEmitter } from 'node:events';
import type Kafka from 'node-rdkafka';
import type { KafkaConnectionSettings } from '../config/config.js';
import { variableForProperty } from './connection-config.js';
import { toGatewayError } from './errors.js';

/** Kafka cannot be used with the settings given; start-up stops with this message (it names the setting). */
export class KafkaStartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KafkaStartupError';
  }
}

/**
 * librdkafka refusing a property when the client is built (unknown name, bad value, a feature not in
 * this build) → the KAFKA_RDKAFKA_* variable it came from. Anything else is returned as it is.
 */
export function explainClientConfigError(err: unknown, s: Pick<KafkaConnectionSettings, 'rdkafka'>): unknown {
  const message = err instanceof Error ? err.message : String(err);
  const property = /property:? "([^"]+)"/.exec(message)?.[1];
  const variable = property === undefined ? undefined : variableForProperty(s, property);
  return variable === undefined ? err : new KafkaStartupError(`${variable}: librdkafka refused it: ${message}`, { cause: err });
}

/**
 * Client errors that no retry will cure. librdkafka retries a wrong password or an untrusted
 * certificate forever, so without this check start-up would wait out the whole connect timeout and
 * then blame an unreachable broker. node-rdkafka 3.6.1 hands client errors over with code -1 and
 * librdkafka's short text only ("authentication failure", "ssl error"; a refused client certificate
 * is only "broker transport failure"), so librdkafka's log lines (FAIL, severity 3, which carry the
 * reason) are read too, and the text decides. Neither holds a password.
 */
export function securityFailure(err: { message?: string }, s: KafkaConnectionSettings): KafkaStartupError | undefined {
  const text = err.message ?? '';
  const detail = text.replace(/^\[thrd:[^\]]*\]:\s*/, '');
  const { security } = s;
  if (/authentication failure|authentication error|authentication failed/i.test(text) && security.oauthbearer) {
    return new KafkaStartupError(
      `Kafka refused the OAUTHBEARER token from KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL (${security.oauthbearer.tokenEndpointUrl}): ` +
        'its audience, issuer, scope or signature is not what the brokers expect; check KAFKA_SASL_OAUTHBEARER_CLIENT_ID and KAFKA_SASL_OAUTHBEARER_SCOPE ' +
        `and the audience the identity provider puts in this client's tokens (librdkafka: ${detail})`,
      { cause: err },
    );
  }
  if (/authentication failure|authentication error|authentication failed/i.test(text)) {
    const how = security.sasl ? `SASL ${security.sasl.mechanism}` : `security protocol ${security.protocol}`;
    return new KafkaStartupError(
      `Kafka authentication failed (${how}): the brokers at KAFKA_BOOTSTRAP_SERVERS refused the credentials; ` +
        `check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or their _FILE variants) and KAFKA_SASL_MECHANISM (librdkafka: ${detail})`,
      { cause: err },
    );
  }
  if (/bad certificate|certificate required/i.test(text)) {
    return new KafkaStartupError(
      'Kafka refused the TLS client certificate: the broker requires one signed by a CA it trusts; ' +
        `check KAFKA_SSL_CERTIFICATE_LOCATION and KAFKA_SSL_KEY_LOCATION (librdkafka: ${detail})`,
      { cause: err },
    );
  }
  if (/ssl error|ssl handshake|certificate verify|ssl\/tls alert/i.test(text)) {
    const ca = security.ssl?.caLocation === undefined ? 'the system trust store' : `KAFKA_SSL_CA_LOCATION (${security.ssl.caLocation})`;
    return new KafkaStartupError(
      `TLS handshake with Kafka failed: the broker certificate must be signed by a CA in ${ca}` +
        (security.ssl?.endpointIdentification === 'https' ? ' and name the host in KAFKA_BOOTSTRAP_SERVERS (KAFKA_SSL_ENDPOINT_IDENTIFICATION=https)' : '') +
        `; a broker requiring client certificates also needs KAFKA_SSL_CERTIFICATE_LOCATION and KAFKA_SSL_KEY_LOCATION (librdkafka: ${detail})`,
      { cause: err },
    );
  }
  return undefined;
}

/** One connect attempt's metadata wait. node-rdkafka's connect cannot be cancelled, and a process
 * exiting after a failed start-up waits for it (measured: 30 s with a 30 s timeout), so a long
 * timeout is cut into attempts of at most this long. */
const ATTEMPT_MS = 5_000;

type Client = Kafka.Producer | Kafka.KafkaConsumer;

/**
 * Builds and connects a Kafka client (producer or consumer) and waits for the first metadata, failing
 * at the first security failure instead of at the timeout. Every attempt gets a client of its own:
 * node-rdkafka adds its callbacks again on each connect of the same client, so a reconnected client
 * would report every event (delivery reports included) twice. librdkafka reports client errors only
 * when polled: create() must start polling, discard() stop it.
 */
export async function connectClient<T>(
  create: () => T,
  clientOf: (owner: T) => Client,
  discard: (owner: T) => void,
  s: KafkaConnectionSettings,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let owner: T;
    try {
      owner = create();
    } catch (err) {
      throw explainClientConfigError(err, s);
    }
    try {
      await connectOnce(clientOf(owner), s, Math.max(1, Math.min(ATTEMPT_MS, deadline - Date.now())));
      return owner;
    } catch (err) {
      // node-rdkafka has disconnected the failed client (or will, once its metadata call returns).
      discard(owner);
      if (err instanceof KafkaStartupError || Date.now() >= deadline) throw err;
    }
  }
}

function connectOnce(client: Client, s: KafkaConnectionSettings, timeoutMs: number): Promise<void> {
  // node-rdkafka's typings give each client class its own event map; the listener is the same.
  const events = client as unknown as EventEmitter;
  return new Promise<void>((resolve, reject) => {
    let failed: KafkaStartupError | undefined;
    const stopListening = () => {
      events.removeListener('event.error', onError);
      events.removeListener('event.log', onLog);
    };
    const onError = (err: { message?: string }) => {
      failed ??= securityFailure(err, s);
      if (failed) {
        stopListening();
        reject(failed);
      }
    };
    const onLog = (log: { severity?: number; message?: string }) => {
      if ((log.severity ?? 7) <= 3) onError(log);
    };
    events.on('event.error', onError);
    events.on('event.log', onLog);
    client.connect({ timeout: timeoutMs }, (err: Kafka.LibrdKafkaError | null) => {
      stopListening();
      if (failed) return;
      if (err) reject(toGatewayError(err));
      else resolve();
    });
  });
}
