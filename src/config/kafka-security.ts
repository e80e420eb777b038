import { accessSync, constants } from 'node:fs';
import { valueOrFile } from './secret-file.js';
import type { Env } from './schema.js';
import { Secret } from './secret.js';

export type SecurityProtocol = Env['KAFKA_SECURITY_PROTOCOL'];
export type SaslMechanism = NonNullable<Env['KAFKA_SASL_MECHANISM']>;

/** How the gateway authenticates to Kafka and checks the brokers it talks to (docs/security.md). */
export interface KafkaSecuritySettings {
  protocol: SecurityProtocol;
  /** Present exactly when the protocol is sasl_plaintext or sasl_ssl. */
  sasl?: { mechanism: SaslMechanism; username: string; password: Secret };
  /** Present exactly when the protocol is ssl or sasl_ssl. */
  ssl?: {
    /** CA file or directory; undefined = the system's trust store. */
    caLocation?: string;
    /** Client certificate and key for mTLS: both or neither. */
    certificateLocation?: string;
    keyLocation?: string;
    keyPassword?: Secret;
    /** https: the broker's certificate must name the host connected to. */
    endpointIdentification: Env['KAFKA_SSL_ENDPOINT_IDENTIFICATION'];
  };
}

function readable(name: string, file: string | undefined, problems: string[]): string | undefined {
  if (file === undefined) return undefined;
  try {
    accessSync(file, constants.R_OK);
  } catch (err) {
    problems.push(`${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return file;
}

/** The security settings from the parsed environment; every inconsistency is a problem naming the variables. */
export function readKafkaSecurity(e: Env, problems: string[]): KafkaSecuritySettings {
  const protocol = e.KAFKA_SECURITY_PROTOCOL;
  const usesSasl = protocol === 'sasl_plaintext' || protocol === 'sasl_ssl';
  const usesSsl = protocol === 'ssl' || protocol === 'sasl_ssl';
  const username = valueOrFile('KAFKA_SASL_USERNAME', e.KAFKA_SASL_USERNAME, e.KAFKA_SASL_USERNAME_FILE, problems);
  const password = valueOrFile('KAFKA_SASL_PASSWORD', e.KAFKA_SASL_PASSWORD, e.KAFKA_SASL_PASSWORD_FILE, problems);
  const keyPassword = valueOrFile('KAFKA_SSL_KEY_PASSWORD', e.KAFKA_SSL_KEY_PASSWORD, e.KAFKA_SSL_KEY_PASSWORD_FILE, problems);
  const settings: KafkaSecuritySettings = { protocol };

  // A SASL or TLS setting the chosen protocol ignores is almost always a forgotten
  // KAFKA_SECURITY_PROTOCOL: connecting without the intended protection would be the silent failure.
  const saslGiven = (['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const).filter(
    (name) => e[name] !== undefined || (name !== 'KAFKA_SASL_MECHANISM' && e[`${name}_FILE`] !== undefined),
  );
  if (usesSasl) {
    const missing: string[] = [];
    if (e.KAFKA_SASL_MECHANISM === undefined) missing.push('KAFKA_SASL_MECHANISM');
    if (!username && e.KAFKA_SASL_USERNAME_FILE === undefined) missing.push('KAFKA_SASL_USERNAME');
    if (!password && e.KAFKA_SASL_PASSWORD_FILE === undefined) missing.push('KAFKA_SASL_PASSWORD');
    if (missing.length > 0) problems.push(`KAFKA_SECURITY_PROTOCOL=${protocol} needs ${missing.join(', ')}`);
    else if (e.KAFKA_SASL_MECHANISM && username && password) {
      settings.sasl = { mechanism: e.KAFKA_SASL_MECHANISM, username, password: new Secret(password) };
    }
  } else if (saslGiven.length > 0) {
    problems.push(`${saslGiven.join(', ')}: set, but KAFKA_SECURITY_PROTOCOL=${protocol} does not use SASL (sasl_plaintext or sasl_ssl)`);
  }

  const sslFiles = {
    KAFKA_SSL_CA_LOCATION: e.KAFKA_SSL_CA_LOCATION,
    KAFKA_SSL_CERTIFICATE_LOCATION: e.KAFKA_SSL_CERTIFICATE_LOCATION,
    KAFKA_SSL_KEY_LOCATION: e.KAFKA_SSL_KEY_LOCATION,
  };
  const sslGiven = Object.entries(sslFiles)
    .filter(([, value]) => value !== undefined)
    .map(([name]) => name);
  if (keyPassword !== undefined) sslGiven.push('KAFKA_SSL_KEY_PASSWORD');
  if (usesSsl) {
    if ((e.KAFKA_SSL_CERTIFICATE_LOCATION === undefined) !== (e.KAFKA_SSL_KEY_LOCATION === undefined)) {
      problems.push('KAFKA_SSL_CERTIFICATE_LOCATION and KAFKA_SSL_KEY_LOCATION: a client certificate needs its key (set both or neither)');
    }
    if (keyPassword !== undefined && e.KAFKA_SSL_KEY_LOCATION === undefined) {
      problems.push('KAFKA_SSL_KEY_PASSWORD: set, but there is no KAFKA_SSL_KEY_LOCATION');
    }
    const ssl: NonNullable<KafkaSecuritySettings['ssl']> = { endpointIdentification: e.KAFKA_SSL_ENDPOINT_IDENTIFICATION };
    const ca = readable('KAFKA_SSL_CA_LOCATION', sslFiles.KAFKA_SSL_CA_LOCATION, problems);
    const certificate = readable('KAFKA_SSL_CERTIFICATE_LOCATION', sslFiles.KAFKA_SSL_CERTIFICATE_LOCATION, problems);
    const key = readable('KAFKA_SSL_KEY_LOCATION', sslFiles.KAFKA_SSL_KEY_LOCATION, problems);
    if (ca !== undefined) ssl.caLocation = ca;
    if (certificate !== undefined) ssl.certificateLocation = certificate;
    if (key !== undefined) ssl.keyLocation = key;
    if (keyPassword !== undefined) ssl.keyPassword = new Secret(keyPassword);
    settings.ssl = ssl;
  } else if (sslGiven.length > 0) {
    problems.push(`${sslGiven.join(', ')}: set, but KAFKA_SECURITY_PROTOCOL=${protocol} does not use TLS (ssl or sasl_ssl)`);
  }
  return settings;
}
