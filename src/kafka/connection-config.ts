import type { KafkaConnectionSettings } from '../config/config.js';
import { isSecretName, REDACTED, Secret } from '../config/secret.js';

/** librdkafka properties as strings, booleans and numbers (what node-rdkafka's config accepts). */
export type RdkafkaProperties = Record<string, string | number | boolean>;

/**
 * The properties every Kafka client of the gateway shares: where the cluster is, who we are, how we
 * prove it (TLS, SASL) and the KAFKA_RDKAFKA_* pass-through. The producer (producer-config.ts) adds its
 * own on top, and so can a consumer; the pass-through is applied last by the caller (see
 * withPassthrough), so it can override a default like socket.keepalive.enable but, having been
 * checked at config load, never a property the gateway's promise depends on.
 */
export function connectionProperties(s: KafkaConnectionSettings): RdkafkaProperties {
  const { security } = s;
  const props: RdkafkaProperties = {
    'bootstrap.servers': s.bootstrapServers,
    'client.id': s.clientId,
    'security.protocol': security.protocol,
  };
  if (security.sasl) {
    props['sasl.mechanisms'] = security.sasl.mechanism;
    props['sasl.username'] = security.sasl.username;
    props['sasl.password'] = security.sasl.password.reveal();
  }
  // The token itself is handed over per client (src/kafka/oauthbearer.ts), never as a property.
  if (security.oauthbearer) props['sasl.mechanisms'] = 'OAUTHBEARER';
  if (security.ssl) {
    const ssl = security.ssl;
    props['ssl.endpoint.identification.algorithm'] = ssl.endpointIdentification;
    if (ssl.caLocation !== undefined) props['ssl.ca.location'] = ssl.caLocation;
    if (ssl.certificateLocation !== undefined) props['ssl.certificate.location'] = ssl.certificateLocation;
    if (ssl.keyLocation !== undefined) props['ssl.key.location'] = ssl.keyLocation;
    if (ssl.keyPassword !== undefined) props['ssl.key.password'] = ssl.keyPassword.reveal();
  }
  return props;
}

// librdkafka's topic-level properties (CONFIGURATION.md, "Topic configuration properties") that the
// pass-through does not refuse. node-rdkafka replaces the default topic config with the one it is
// handed, so one of these set globally would be dropped without a word: it goes to the topic config.
const TOPIC_LEVEL = new Set([
  'partitioner',
  'compression.level',
  'queuing.strategy',
  'produce.offset.report',
  'auto.offset.reset',
  'consume.callback.max.messages',
  // Not here: enable.auto.commit and auto.commit.interval.ms, which the high-level consumer reads
  // from the global config (their topic-level twins are legacy).
]);

/** base with the KAFKA_RDKAFKA_* properties of one level (global or topic) laid over it. */
export function withPassthrough<T extends object>(base: T, s: Pick<KafkaConnectionSettings, 'rdkafka'>, level: 'global' | 'topic' = 'global'): T {
  const out = { ...base } as Record<string, unknown>;
  for (const { property, value } of s.rdkafka) {
    if (TOPIC_LEVEL.has(property) !== (level === 'topic')) continue;
    out[property] = value instanceof Secret ? value.reveal() : value;
  }
  return out as T;
}

/** The variable behind a librdkafka property named in an error, so a start-up error can name the setting. */
export function variableForProperty(s: Pick<KafkaConnectionSettings, 'rdkafka'>, property: string): string | undefined {
  return s.rdkafka.find((p) => p.property === property)?.variable;
}

/** The connection in force, for status endpoints and logs: no password, passphrase or key ever. */
export function describeConnection(s: KafkaConnectionSettings): Record<string, unknown> {
  const { security } = s;
  const out: Record<string, unknown> = { security_protocol: security.protocol };
  if (security.sasl) out['sasl_mechanism'] = security.sasl.mechanism;
  if (security.oauthbearer) {
    out['sasl_mechanism'] = 'OAUTHBEARER';
    out['oauthbearer_token_endpoint_url'] = security.oauthbearer.tokenEndpointUrl;
    out['oauthbearer_client_id'] = security.oauthbearer.clientId;
  }
  if (security.ssl) {
    out['ssl_ca_location'] = security.ssl.caLocation ?? 'system trust store';
    out['ssl_client_certificate'] = security.ssl.certificateLocation !== undefined;
    out['ssl_endpoint_identification'] = security.ssl.endpointIdentification;
  }
  if (s.rdkafka.length > 0) {
    out['rdkafka'] = Object.fromEntries(
      s.rdkafka.map(({ property, value }) => [property, value instanceof Secret || isSecretName(property) ? REDACTED : value]),
    );
  }
  return out;
}
