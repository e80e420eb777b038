import { accessSync, constants } from 'node:fs';
import { valueOrFile } from './secret-file.js';
import type { Env } from './schema.js';
import { Secret } from './secret.js';

export type SecurityProtocol = Env['KAFKA_SECURITY_PROTOCOL'];
export type SaslMechanism = Exclude<NonNullable<Env['KAFKA_SASL_MECHANISM']>, 'OAUTHBEARER'>;

/** KAFKA_SASL_MECHANISM=OAUTHBEARER: where the gateway gets its tokens (src/kafka/oauthbearer.ts). */
export interface OAuthBearerSettings {
  tokenEndpointUrl: string;
  clientId: string;
  clientSecret: Secret;
  scope: string | undefined;
  extensions: Record<string, string>;
}

/** How the gateway authenticates to Kafka and checks the brokers it talks to (docs/security.md). */
export interface KafkaSecuritySettings {
  protocol: SecurityProtocol;
  /** Present exactly when the protocol is sasl_plaintext or sasl_ssl. */
  sasl?: { mechanism: SaslMechanism; username: string; password: Secret };
  /** Present exactly when the protocol is sasl_* and KAFKA_SASL_MECHANISM=OAUTHBEARER (then `sasl` is absent). */
  oauthbearer?: OAuthBearerSettings;
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
  const oauthGiven = (['KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL', 'KAFKA_SASL_OAUTHBEARER_CLIENT_ID', 'KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET', 'KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET_FILE', 'KAFKA_SASL_OAUTHBEARER_SCOPE', 'KAFKA_SASL_OAUTHBEARER_EXTENSIONS'] as const).filter(
    (name) => e[name] !== undefined,
  );
  if (e.KAFKA_SASL_MECHANISM === 'OAUTHBEARER') {
    if (!usesSasl) problems.push(`KAFKA_SASL_MECHANISM=OAUTHBEARER: needs KAFKA_SECURITY_PROTOCOL=sasl_ssl (or sasl_plaintext), got ${protocol}`);
    const extra = saslGiven.filter((name) => name !== 'KAFKA_SASL_MECHANISM');
    if (extra.length > 0) problems.push(`${extra.join(', ')}: not used with KAFKA_SASL_MECHANISM=OAUTHBEARER (the client id and secret are KAFKA_SASL_OAUTHBEARER_*)`);
    const secret = valueOrFile('KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET', e.KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET, e.KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET_FILE, problems);
    const missing = [
      ...(e.KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL === undefined ? ['KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL'] : []),
      ...(e.KAFKA_SASL_OAUTHBEARER_CLIENT_ID === undefined ? ['KAFKA_SASL_OAUTHBEARER_CLIENT_ID'] : []),
      ...(secret === undefined && e.KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET_FILE === undefined ? ['KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET'] : []),
    ];
    if (missing.length > 0) problems.push(`KAFKA_SASL_MECHANISM=OAUTHBEARER needs ${missing.join(', ')}`);
    const extensions = Object.fromEntries((e.KAFKA_SASL_OAUTHBEARER_EXTENSIONS ?? '').split(',').filter((p) => p !== '').map((p) => p.split('=', 2) as [string, string]));
    if (Object.keys(extensions).length > 0) {
      // node-rdkafka 3.6.1's setOauthBearerToken hands librdkafka an empty extension list (src/connection.cc),
      // and librdkafka's own sasl.oauthbearer.extensions needs its OIDC method, which this build lacks (no libcurl).
      problems.push(
        'KAFKA_SASL_OAUTHBEARER_EXTENSIONS: node-rdkafka 3.6.1 cannot send SASL extensions with a token it is given ' +
          '(setOauthBearerToken passes none); leave it unset, or use a cluster that needs none (docs/security.md#oauthbearer)',
      );
    }
    if (usesSasl && missing.length === 0 && e.KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL && e.KAFKA_SASL_OAUTHBEARER_CLIENT_ID && secret !== undefined) {
      settings.oauthbearer = {
        tokenEndpointUrl: e.KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL,
        clientId: e.KAFKA_SASL_OAUTHBEARER_CLIENT_ID,
        clientSecret: new Secret(secret),
        scope: e.KAFKA_SASL_OAUTHBEARER_SCOPE,
        extensions,
      };
    }
  } else if (oauthGiven.length > 0) {
    problems.push(`${oauthGiven.join(', ')}: set, but KAFKA_SASL_MECHANISM is not OAUTHBEARER`);
  }
  if (usesSasl && e.KAFKA_SASL_MECHANISM !== 'OAUTHBEARER') {
    const missing: string[] = [];
    if (e.KAFKA_SASL_MECHANISM === undefined) missing.push('KAFKA_SASL_MECHANISM');
    if (!username && e.KAFKA_SASL_USERNAME_FILE === undefined) missing.push('KAFKA_SASL_USERNAME');
    if (!password && e.KAFKA_SASL_PASSWORD_FILE === undefined) missing.push('KAFKA_SASL_PASSWORD');
    if (missing.length > 0) problems.push(`KAFKA_SECURITY_PROTOCOL=${protocol} needs ${missing.join(', ')}`);
    else if (e.KAFKA_SASL_MECHANISM && username && password) {
      settings.sasl = { mechanism: e.KAFKA_SASL_MECHANISM, username, password: new Secret(password) };
    }
  } else if (!usesSasl && saslGiven.length > 0 && e.KAFKA_SASL_MECHANISM !== 'OAUTHBEARER') {
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
