import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { propertyName, refusedProperties } from '../../../src/config/rdkafka-passthrough.js';
import { Secret } from '../../../src/config/secret.js';

describe('config: KAFKA_RDKAFKA_<PROPERTY> pass-through', () => {
  it('maps names: lower-case, "_" → ".", "__" → "_"', () => {
    expect(propertyName('KAFKA_RDKAFKA_SOCKET_KEEPALIVE_ENABLE')).to.equal('socket.keepalive.enable');
    expect(propertyName('KAFKA_RDKAFKA_SSL_CERTIFICATE_VERIFY__CB')).to.equal('ssl.certificate.verify_cb');
    expect(propertyName('KAFKA_RDKAFKA_TOPIC_METADATA_REFRESH_INTERVAL_MS')).to.equal('topic.metadata.refresh.interval.ms');
  });

  it('passes values through as strings, secrets wrapped', () => {
    const { rdkafka } = loadConfig({ KAFKA_RDKAFKA_SOCKET_KEEPALIVE_ENABLE: 'false', KAFKA_RDKAFKA_SSL_KEYSTORE_PASSWORD: 'ks' }).kafka;
    expect(rdkafka.map((p) => [p.variable, p.property])).to.deep.equal([
      ['KAFKA_RDKAFKA_SOCKET_KEEPALIVE_ENABLE', 'socket.keepalive.enable'],
      ['KAFKA_RDKAFKA_SSL_KEYSTORE_PASSWORD', 'ssl.keystore.password'],
    ]);
    expect(rdkafka[0]!.value).to.equal('false');
    expect(rdkafka[1]!.value).to.be.instanceOf(Secret);
  });

  for (const variable of [
    'KAFKA_RDKAFKA_ACKS',
    'KAFKA_RDKAFKA_REQUEST_REQUIRED_ACKS',
    'KAFKA_RDKAFKA_ENABLE_IDEMPOTENCE',
    'KAFKA_RDKAFKA_DR__CB',
    'KAFKA_RDKAFKA_DR__MSG__CB',
    'KAFKA_RDKAFKA_MESSAGE_TIMEOUT_MS',
    'KAFKA_RDKAFKA_DELIVERY_TIMEOUT_MS',
    'KAFKA_RDKAFKA_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION',
    'KAFKA_RDKAFKA_TRANSACTIONAL_ID',
    'KAFKA_RDKAFKA_SASL_PASSWORD',
    'KAFKA_RDKAFKA_BOOTSTRAP_SERVERS',
  ]) {
    it(`refuses ${variable}, naming it`, () => {
      expect(() => loadConfig({ [variable]: 'x' }))
        .to.throw(ConfigError)
        .with.property('message')
        .that.contains(variable)
        .and.contains('cannot be passed through');
    });
  }

  it('names the typed setting to use instead where there is one', () => {
    expect(() => loadConfig({ KAFKA_RDKAFKA_LINGER_MS: '5' })).to.throw(/KAFKA_LINGER_MS/);
  });

  it('refuses a name that is no property, without echoing the value', () => {
    expect(() => loadConfig({ KAFKA_RDKAFKA_: 'secret-ish' }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.contains('KAFKA_RDKAFKA_')
      .and.not.contains('secret-ish');
  });

  it('documents every refused property in docs/security.md', async () => {
    const { readFileSync } = await import('node:fs');
    const { ROOT } = await import('../../helpers/env.js');
    const doc = readFileSync(`${ROOT}/docs/security.md`, 'utf8');
    for (const property of refusedProperties().keys()) expect(doc, property).to.contain(`\`${property}\``);
  });
});
