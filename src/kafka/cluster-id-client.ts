import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { getCACertificates, type ConnectionOptions } from 'node:tls';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { KafkaConnectionSettings } from '../config/config.js';

/**
 * The kafkajs client settings that reach the cluster exactly as the producer does (connection-config.ts):
 * the same bootstrap servers and client id, the same TLS trust, client certificate and host check, the
 * same SASL mechanism and credentials, or the gateway's current OAUTHBEARER token. kafkajs is used for
 * one call only (cluster-id.ts): node-rdkafka 3.6.1 does not expose the cluster id.
 */
export function clusterIdClientConfig(s: KafkaConnectionSettings, oauthToken: string | undefined, timeoutMs: number): KafkaConfig {
  const { security } = s;
  const config: KafkaConfig = {
    clientId: s.clientId,
    brokers: s.bootstrapServers.split(','), // host:port,... (checked at config load)
    connectionTimeout: timeoutMs,
    authenticationTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    // The caller retries later on its own terms; kafkajs's own retries would outlast its bound.
    retry: { retries: 0 },
    // kafkajs re-authenticates once less than this is left of the broker's session (default 10 s); a
    // session of 10 s or less (connections.max.reauth.ms, a short-lived token) would then be re-authenticated
    // at once, which the broker refuses ("not valid given the current SASL state", measured on Kafka 4.1).
    // The connection serves one request right after its login: no re-authentication is ever needed.
    reauthenticationThreshold: 0,
  };
  if (security.ssl) config.ssl = tlsOptions(security.ssl);
  const sasl = saslOptions(s, oauthToken);
  if (sasl) config.sasl = sasl;
  return config;
}

function saslOptions(s: KafkaConnectionSettings, oauthToken: string | undefined): SASLOptions | undefined {
  const { security } = s;
  if (security.oauthbearer) {
    if (oauthToken === undefined) throw new Error('OAUTHBEARER: no token from the token source yet');
    return { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: oauthToken }) };
  }
  if (!security.sasl) return undefined;
  const { username } = security.sasl;
  const password = security.sasl.password.reveal();
  switch (security.sasl.mechanism) {
    case 'PLAIN':
      return { mechanism: 'plain', username, password };
    case 'SCRAM-SHA-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'SCRAM-SHA-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

type SslSettings = NonNullable<KafkaConnectionSettings['security']['ssl']>;

/** node:tls options with librdkafka's meaning of the ssl.* settings. */
export function tlsOptions(ssl: SslSettings): ConnectionOptions {
  const options: ConnectionOptions = {
    // ssl.ca.location unset: librdkafka trusts the system's store (OpenSSL's default paths), not Node's bundled one.
    ca: ssl.caLocation === undefined ? getCACertificates('system') : caCertificates(ssl.caLocation),
    rejectUnauthorized: true,
  };
  if (ssl.certificateLocation !== undefined) options.cert = readFileSync(ssl.certificateLocation);
  if (ssl.keyLocation !== undefined) options.key = readFileSync(ssl.keyLocation);
  if (ssl.keyPassword !== undefined) options.passphrase = ssl.keyPassword.reveal();
  // none: the chain is still verified (as librdkafka does), only the broker's name is not checked.
  if (ssl.endpointIdentification === 'none') options.checkServerIdentity = () => undefined;
  return options;
}

/** ssl.ca.location is a PEM file or, as OpenSSL allows, a directory of them (c_rehash links included). */
function caCertificates(location: string): string[] {
  if (!statSync(location).isDirectory()) return [readFileSync(location, 'utf8')];
  return readdirSync(location)
    .map((name) => path.join(location, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => readFileSync(file, 'utf8'))
    .filter((pem) => pem.includes('-----BEGIN CERTIFICATE-----'));
}
