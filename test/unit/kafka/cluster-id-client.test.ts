import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config/config.js';
import { clusterIdClientConfig } from '../../../src/kafka/cluster-id-client.js';

const PEM = (n: number) => `-----BEGIN CERTIFICATE-----\nMII${n}\n-----END CERTIFICATE-----\n`;

describe('kafka/cluster-id-client: the kafkajs settings mirror the producer connection', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kgate-cid-'));
  const ca = path.join(dir, 'ca.pem');
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const caDir = path.join(dir, 'cas');
  writeFileSync(ca, PEM(1));
  writeFileSync(cert, 'client certificate');
  writeFileSync(key, 'client key');
  mkdirSync(caDir);
  writeFileSync(path.join(caDir, 'a1b2c3d4.0'), PEM(2));
  writeFileSync(path.join(caDir, 'b.pem'), PEM(3));
  writeFileSync(path.join(caDir, 'README'), 'not a certificate');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('plaintext: every bootstrap server, the client id, no TLS nor SASL, no kafkajs retries', () => {
    const config = clusterIdClientConfig(loadConfig({ KAFKA_BOOTSTRAP_SERVERS: 'b1:9092,b2:9092', KAFKA_CLIENT_ID: 'gw' }).kafka, undefined, 4000);
    expect(config).to.deep.include({ clientId: 'gw', brokers: ['b1:9092', 'b2:9092'], connectionTimeout: 4000, authenticationTimeout: 4000, requestTimeout: 4000, reauthenticationThreshold: 0 });
    expect(config.retry).to.deep.equal({ retries: 0 });
    expect(config.ssl).to.equal(undefined);
    expect(config.sasl).to.equal(undefined);
  });

  for (const [mechanism, kafkajs] of [['PLAIN', 'plain'], ['SCRAM-SHA-256', 'scram-sha-256'], ['SCRAM-SHA-512', 'scram-sha-512']] as const) {
    it(`SASL ${mechanism} over TLS: the same user and password, the CA file, the host checked`, () => {
      const s = loadConfig({ KAFKA_SECURITY_PROTOCOL: 'sasl_ssl', KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'svc', KAFKA_SASL_PASSWORD: 'pa55', KAFKA_SSL_CA_LOCATION: ca }).kafka;
      const config = clusterIdClientConfig(s, undefined, 1000);
      expect(config.sasl).to.deep.equal({ mechanism: kafkajs, username: 'svc', password: 'pa55' });
      const ssl = config.ssl as Record<string, unknown>;
      expect(ssl['ca']).to.deep.equal([PEM(1)]);
      expect(ssl['rejectUnauthorized']).to.equal(true);
      expect(ssl['checkServerIdentity'], 'https: Node checks the name as librdkafka does').to.equal(undefined);
    });
  }

  it('mTLS: client certificate, key and key password; endpoint identification none checks the chain but not the name', () => {
    const s = loadConfig({
      KAFKA_SECURITY_PROTOCOL: 'ssl',
      KAFKA_SSL_CA_LOCATION: ca,
      KAFKA_SSL_CERTIFICATE_LOCATION: cert,
      KAFKA_SSL_KEY_LOCATION: key,
      KAFKA_SSL_KEY_PASSWORD: 'kp',
      KAFKA_SSL_ENDPOINT_IDENTIFICATION: 'none',
    }).kafka;
    const ssl = clusterIdClientConfig(s, undefined, 1000).ssl as Record<string, any>;
    expect(ssl['cert'].toString()).to.equal('client certificate');
    expect(ssl['key'].toString()).to.equal('client key');
    expect(ssl['passphrase']).to.equal('kp');
    expect(ssl['rejectUnauthorized']).to.equal(true);
    expect(ssl['checkServerIdentity']('other-host', {})).to.equal(undefined);
  });

  it('a CA directory (OpenSSL CApath) gives every certificate in it; no CA location: the system store, as librdkafka', () => {
    const fromDir = clusterIdClientConfig(loadConfig({ KAFKA_SECURITY_PROTOCOL: 'ssl', KAFKA_SSL_CA_LOCATION: caDir }).kafka, undefined, 1000).ssl as Record<string, unknown>;
    expect((fromDir['ca'] as string[]).sort()).to.deep.equal([PEM(2), PEM(3)]);
    const system = clusterIdClientConfig(loadConfig({ KAFKA_SECURITY_PROTOCOL: 'ssl' }).kafka, undefined, 1000).ssl as Record<string, unknown>;
    expect(system['ca']).to.be.an('array');
  });

  it('OAUTHBEARER: the token handed in (the gateway token source), never a password; no token yet is an error', async () => {
    const s = loadConfig({
      KAFKA_SECURITY_PROTOCOL: 'sasl_ssl',
      KAFKA_SASL_MECHANISM: 'OAUTHBEARER',
      KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: 'http://127.0.0.1:1/token',
      KAFKA_SASL_OAUTHBEARER_CLIENT_ID: 'gw',
      KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET: 'cs',
      KAFKA_SSL_CA_LOCATION: ca,
    }).kafka;
    const sasl = clusterIdClientConfig(s, 'eyJ.token.sig', 1000).sasl as { mechanism: string; oauthBearerProvider: () => Promise<{ value: string }> };
    expect(sasl.mechanism).to.equal('oauthbearer');
    expect(await sasl.oauthBearerProvider()).to.deep.equal({ value: 'eyJ.token.sig' });
    expect(() => clusterIdClientConfig(s, undefined, 1000)).to.throw('no token');
  });
});
