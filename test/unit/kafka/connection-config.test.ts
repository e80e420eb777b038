import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config/config.js';
import { connectionProperties, describeConnection } from '../../../src/kafka/connection-config.js';
import { explainClientConfigError, securityFailure } from '../../../src/kafka/connect.js';
import { describeProducerConfig, toLibrdkafkaConfig } from '../../../src/kafka/producer-config.js';

describe('kafka connection config', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kgate-conn-'));
  const ca = path.join(dir, 'ca.pem');
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  for (const f of [ca, cert, key]) writeFileSync(f, 'x');
  after(() => rmSync(dir, { recursive: true, force: true }));
  const secured = () =>
    loadConfig({
      KAFKA_BOOTSTRAP_SERVERS: 'b1:9093,b2:9093',
      KAFKA_CLIENT_ID: 'gw',
      KAFKA_SECURITY_PROTOCOL: 'sasl_ssl',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 'pa55',
      KAFKA_SSL_CA_LOCATION: ca,
      KAFKA_SSL_CERTIFICATE_LOCATION: cert,
      KAFKA_SSL_KEY_LOCATION: key,
      KAFKA_SSL_KEY_PASSWORD: 'kp',
      KAFKA_SSL_ENDPOINT_IDENTIFICATION: 'none',
      KAFKA_RDKAFKA_SOCKET_KEEPALIVE_ENABLE: 'false',
      KAFKA_RDKAFKA_SSL_KEYSTORE_PASSWORD: 'ks',
      KAFKA_RDKAFKA_PARTITIONER: 'murmur2_random',
    }).kafka;

  it('plaintext: only the address, the client id and the protocol', () => {
    expect(connectionProperties(loadConfig({}).kafka)).to.deep.equal({
      'bootstrap.servers': '127.0.0.1:9092',
      'client.id': 'kgate',
      'security.protocol': 'plaintext',
    });
  });

  it('sasl_ssl with mTLS: every librdkafka property, secrets revealed only here', () => {
    expect(connectionProperties(secured())).to.deep.equal({
      'bootstrap.servers': 'b1:9093,b2:9093',
      'client.id': 'gw',
      'security.protocol': 'sasl_ssl',
      'sasl.mechanisms': 'SCRAM-SHA-256',
      'sasl.username': 'svc',
      'sasl.password': 'pa55',
      'ssl.endpoint.identification.algorithm': 'none',
      'ssl.ca.location': ca,
      'ssl.certificate.location': cert,
      'ssl.key.location': key,
      'ssl.key.password': 'kp',
    });
  });

  it('the producer config has the connection, the pass-through (topic-level ones in the topic config) and still acks=all', () => {
    const { global, topic } = toLibrdkafkaConfig(secured());
    expect(global).to.include({ 'security.protocol': 'sasl_ssl', 'sasl.password': 'pa55', 'socket.keepalive.enable': 'false', 'ssl.keystore.password': 'ks', dr_cb: true });
    expect(global).not.to.have.property('partitioner');
    expect(topic).to.include({ acks: -1, partitioner: 'murmur2_random' });
  });

  it('the description for /kafka-status has no password, passphrase or key', () => {
    const described = describeConnection(secured());
    expect(described).to.deep.equal({
      security_protocol: 'sasl_ssl',
      sasl_mechanism: 'SCRAM-SHA-256',
      ssl_ca_location: ca,
      ssl_client_certificate: true,
      ssl_endpoint_identification: 'none',
      rdkafka: { 'socket.keepalive.enable': 'false', 'ssl.keystore.password': '[redacted]', partitioner: 'murmur2_random' },
    });
    const text = JSON.stringify(describeProducerConfig(secured()));
    for (const secret of ['pa55', 'kp', '"ks"', 'svc']) expect(text).not.to.contain(secret);
  });

  it('a property librdkafka refuses when the client is built names its KAFKA_RDKAFKA_ variable', () => {
    const settings = loadConfig({ KAFKA_RDKAFKA_NO_SUCH_THING: '1' }).kafka;
    const err = explainClientConfigError(new Error('No such configuration property: "no.such.thing"'), settings) as Error;
    expect(err.name).to.equal('KafkaStartupError');
    expect(err.message).to.contain('KAFKA_RDKAFKA_NO_SUCH_THING');
    const other = new Error('something else');
    expect(explainClientConfigError(other, settings)).to.equal(other);
  });

  it('authentication and TLS failures (as node-rdkafka reports them) become start-up errors naming the settings', () => {
    const s = secured();
    expect(securityFailure({ message: 'authentication failure' }, s)?.message).to.contain('KAFKA_SASL_PASSWORD').and.contain('SCRAM-SHA-256');
    expect(securityFailure({ message: 'ssl error' }, s)?.message).to.contain('KAFKA_SSL_CA_LOCATION');
    // librdkafka's FAIL log lines carry the reason; a refused client certificate shows only there.
    const refused = securityFailure({ message: '[thrd:ssl://b1:9093/bootstrap]: ssl://b1:9093/bootstrap: Receive failed: error:0A000412:SSL routines::ssl/tls alert bad certificate: SSL alert number 42' }, s);
    expect(refused?.message).to.contain('client certificate').and.contain('KAFKA_SSL_CERTIFICATE_LOCATION').and.not.contain('[thrd:');
    expect(securityFailure({ message: 'SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256' }, s)?.message).to.contain('KAFKA_SASL_PASSWORD');
    expect(securityFailure({ message: 'all broker connections are down' }, s)).to.equal(undefined);
  });
});
