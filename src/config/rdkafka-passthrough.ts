import { isSecretName, Secret } from './secret.js';

/** KAFKA_RDKAFKA_<PROPERTY>: any other librdkafka property, passed through as a string. */
export const PASSTHROUGH_PREFIX = 'KAFKA_RDKAFKA_';

export interface RdkafkaProperty {
  /** The environment variable it came from, named in every error about it. */
  variable: string;
  /** The librdkafka property name, e.g. socket.keepalive.enable. */
  property: string;
  /** A Secret when the name says password, secret, key, pem, token...: never shown. */
  value: string | Secret;
}

// Properties the gateway's promise depends on (a 2xx means "written to all in-sync replicas, within
// the gateway's deadline, once"), or that a typed setting already governs. Passing them through would
// silently break that promise or make two settings disagree, so start-up stops instead.
const PROMISE = "the gateway's delivery promise depends on it";
const governedBy = (variable: string) => `set it with ${variable}`;
const REFUSED = new Map<string, string>([
  ['acks', PROMISE],
  ['request.required.acks', PROMISE],
  ['enable.idempotence', governedBy('KAFKA_ENABLE_IDEMPOTENCE')],
  ['enable.gapless.guarantee', PROMISE],
  ['max.in.flight.requests.per.connection', PROMISE],
  ['max.in.flight', PROMISE],
  ['transactional.id', PROMISE],
  ['message.timeout.ms', governedBy('KAFKA_MESSAGE_TIMEOUT_MS')],
  ['delivery.timeout.ms', governedBy('KAFKA_MESSAGE_TIMEOUT_MS')],
  ['request.timeout.ms', governedBy('KAFKA_REQUEST_TIMEOUT_MS')],
  ['message.send.max.retries', governedBy('KAFKA_RETRIES')],
  ['retries', governedBy('KAFKA_RETRIES')],
  ['retry.backoff.ms', governedBy('KAFKA_RETRY_BACKOFF_MS')],
  ['batch.size', governedBy('KAFKA_BATCH_SIZE')],
  ['linger.ms', governedBy('KAFKA_LINGER_MS')],
  ['queue.buffering.max.ms', governedBy('KAFKA_LINGER_MS')],
  ['queue.buffering.max.kbytes', governedBy('KAFKA_BUFFER_MEMORY')],
  ['queue.buffering.max.messages', governedBy('KAFKA_QUEUE_MAX_MESSAGES')],
  ['compression.codec', governedBy('KAFKA_COMPRESSION')],
  ['compression.type', governedBy('KAFKA_COMPRESSION')],
  ['statistics.interval.ms', governedBy('KAFKA_STATISTICS_INTERVAL_MS')],
  ['topic.metadata.propagation.max.ms', governedBy('KAFKA_TOPIC_PROPAGATION_MS')],
  ['bootstrap.servers', governedBy('KAFKA_BOOTSTRAP_SERVERS')],
  ['metadata.broker.list', governedBy('KAFKA_BOOTSTRAP_SERVERS')],
  ['client.id', governedBy('KAFKA_CLIENT_ID')],
  ['security.protocol', governedBy('KAFKA_SECURITY_PROTOCOL')],
  ['sasl.mechanism', governedBy('KAFKA_SASL_MECHANISM')],
  ['sasl.mechanisms', governedBy('KAFKA_SASL_MECHANISM')],
  ['sasl.username', governedBy('KAFKA_SASL_USERNAME')],
  ['sasl.password', governedBy('KAFKA_SASL_PASSWORD')],
  ['ssl.ca.location', governedBy('KAFKA_SSL_CA_LOCATION')],
  ['ssl.certificate.location', governedBy('KAFKA_SSL_CERTIFICATE_LOCATION')],
  ['ssl.key.location', governedBy('KAFKA_SSL_KEY_LOCATION')],
  ['ssl.key.password', governedBy('KAFKA_SSL_KEY_PASSWORD')],
  ['ssl.endpoint.identification.algorithm', governedBy('KAFKA_SSL_ENDPOINT_IDENTIFICATION')],
  // Callbacks and opaque pointers are wired by the adapter; a string cannot stand in for them.
  ['opaque', PROMISE],
  ['interceptors', PROMISE],
]);

/** The documented list, for docs and tests. */
export function refusedProperties(): ReadonlyMap<string, string> {
  return REFUSED;
}

/**
 * KAFKA_RDKAFKA_SOCKET_KEEPALIVE_ENABLE → socket.keepalive.enable: lower-case, "_" → ".", and "__"
 * → a literal "_" for the few properties whose names hold one (KAFKA_RDKAFKA_SSL_CERTIFICATE_VERIFY__CB).
 */
export function propertyName(variable: string): string {
  return variable
    .slice(PASSTHROUGH_PREFIX.length)
    .toLowerCase()
    .split('__')
    .map((part) => part.replaceAll('_', '.'))
    .join('_');
}

function refusal(property: string): string | undefined {
  if (property.endsWith('_cb')) return 'callbacks are wired by the gateway itself';
  return REFUSED.get(property);
}

/** Every KAFKA_RDKAFKA_* variable, checked; problems name the variable and never echo its value. */
export function readRdkafkaPassthrough(env: Record<string, string>, problems: string[]): RdkafkaProperty[] {
  const properties: RdkafkaProperty[] = [];
  for (const variable of Object.keys(env).filter((name) => name.startsWith(PASSTHROUGH_PREFIX)).sort()) {
    const property = propertyName(variable);
    if (!/^[a-z0-9]+([._][a-z0-9]+)*$/.test(property)) {
      problems.push(`${variable}: not a librdkafka property name (${JSON.stringify(property)}); see docs/configuration.md`);
      continue;
    }
    const why = refusal(property);
    if (why) {
      problems.push(`${variable}: librdkafka property ${property} cannot be passed through: ${why}`);
      continue;
    }
    const raw = env[variable]!;
    properties.push({ variable, property, value: isSecretName(property) ? new Secret(raw) : raw });
  }
  return properties;
}
