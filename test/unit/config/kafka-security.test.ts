import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

describe('config: Kafka TLS and SASL', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kgate-config-'));
  const file = (name: string, content: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const ca = file('ca.pem', 'not checked here, librdkafka reads it');
  const cert = file('client.pem', 'x');
  const key = file('client.key', 'x');
  const sasl = { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'svc', KAFKA_SASL_PASSWORD: 'pa55' };
  const problemsOf = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      return (err as ConfigError).message;
    }
    return expect.fail('loadConfig accepted it');
  };
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is plaintext with no SASL and no TLS by default (./run.sh as before)', () => {
    expect(loadConfig({}).kafka.security).to.deep.equal({ protocol: 'plaintext' });
  });

  it('reads sasl_ssl with a mechanism in any case, credentials and a CA, hostname checks on by default', () => {
    const s = loadConfig({ ...sasl, KAFKA_SSL_CA_LOCATION: ca }).kafka.security;
    expect(s.protocol).to.equal('sasl_ssl');
    expect(s.sasl).to.include({ mechanism: 'SCRAM-SHA-512', username: 'svc' });
    expect(s.sasl!.password.reveal()).to.equal('pa55');
    expect(s.ssl).to.deep.include({ caLocation: ca, endpointIdentification: 'https' });
  });

  it('reads the password, the username and the key passphrase from _FILE variants, without the trailing newline', () => {
    const env = {
      KAFKA_SECURITY_PROTOCOL: 'sasl_ssl',
      KAFKA_SASL_MECHANISM: 'PLAIN',
      KAFKA_SASL_USERNAME_FILE: file('user', 'api-key\n'),
      KAFKA_SASL_PASSWORD_FILE: file('password', 'from-file\r\n'),
      KAFKA_SSL_CERTIFICATE_LOCATION: cert,
      KAFKA_SSL_KEY_LOCATION: key,
      KAFKA_SSL_KEY_PASSWORD_FILE: file('key-password', 'kp\n'),
    };
    const s = loadConfig(env).kafka.security;
    expect(s.sasl!.username).to.equal('api-key');
    expect(s.sasl!.password.reveal()).to.equal('from-file');
    expect(s.ssl!.keyPassword!.reveal()).to.equal('kp');
  });

  it('never shows a secret when the config is logged, serialised or inspected', () => {
    const c = loadConfig({ ...sasl, KAFKA_SSL_CERTIFICATE_LOCATION: cert, KAFKA_SSL_KEY_LOCATION: key, KAFKA_SSL_KEY_PASSWORD: 'key-pass' });
    for (const text of [JSON.stringify(c), inspect(c, { depth: 10 }), String(c.kafka.security.sasl!.password)]) {
      expect(text).not.to.contain('pa55');
      expect(text).not.to.contain('key-pass');
    }
    expect(JSON.stringify(c.kafka.security.sasl)).to.contain('[redacted]');
  });

  for (const [what, env, names] of [
    ['sasl_ssl without a mechanism', { KAFKA_SECURITY_PROTOCOL: 'sasl_ssl', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }, ['KAFKA_SASL_MECHANISM']],
    ['sasl_plaintext without credentials', { KAFKA_SECURITY_PROTOCOL: 'sasl_plaintext', KAFKA_SASL_MECHANISM: 'PLAIN' }, ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD']],
    ['an unknown protocol', { KAFKA_SECURITY_PROTOCOL: 'tls' }, ['KAFKA_SECURITY_PROTOCOL']],
    ['an unsupported mechanism', { ...sasl, KAFKA_SASL_MECHANISM: 'GSSAPI' }, ['KAFKA_SASL_MECHANISM']],
    ['SASL settings on plaintext', { KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }, ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SECURITY_PROTOCOL']],
    ['a CA on sasl_plaintext', { ...sasl, KAFKA_SECURITY_PROTOCOL: 'sasl_plaintext', KAFKA_SSL_CA_LOCATION: ca }, ['KAFKA_SSL_CA_LOCATION']],
    ['a CA file that does not exist', { KAFKA_SECURITY_PROTOCOL: 'ssl', KAFKA_SSL_CA_LOCATION: '/nonexistent/ca.pem' }, ['KAFKA_SSL_CA_LOCATION', 'ENOENT']],
    ['a client certificate without its key', { KAFKA_SECURITY_PROTOCOL: 'ssl', KAFKA_SSL_CERTIFICATE_LOCATION: cert }, ['KAFKA_SSL_KEY_LOCATION']],
    ['a password and a password file', { ...sasl, KAFKA_SASL_PASSWORD_FILE: path.join(dir, 'password') }, ['KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE']],
    ['a password file that cannot be read', { ...sasl, KAFKA_SASL_PASSWORD: '', KAFKA_SASL_PASSWORD_FILE: '/nonexistent/secret' }, ['KAFKA_SASL_PASSWORD_FILE', 'ENOENT']],
    ['an empty password file', { ...sasl, KAFKA_SASL_PASSWORD: '', KAFKA_SASL_PASSWORD_FILE: file('empty', '\n') }, ['KAFKA_SASL_PASSWORD_FILE', 'empty']],
    ['a bad hostname-check value', { KAFKA_SECURITY_PROTOCOL: 'ssl', KAFKA_SSL_ENDPOINT_IDENTIFICATION: 'off' }, ['KAFKA_SSL_ENDPOINT_IDENTIFICATION']],
  ] as const) {
    it(`stops on ${what}, naming the variable`, () => {
      const message = problemsOf(env as Record<string, string>);
      for (const name of names) expect(message).to.contain(name);
    });
  }

  it('never echoes a secret value in a config error', () => {
    const message = problemsOf({ KAFKA_SASL_PASSWORD: 'do-not-print', KAFKA_SSL_KEY_PASSWORD: 'nor-this' });
    expect(message).not.to.contain('do-not-print');
    expect(message).not.to.contain('nor-this');
  });
});
