import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

describe('config', () => {
  it('has the seed defaults: port 8001, acks=all producer with retries 3, batch 16384, linger 1 ms', () => {
    const c = loadConfig({});
    expect(c.http.port).to.equal(8001);
    expect(c.kafka).to.include({ bootstrapServers: '127.0.0.1:9092', retries: 3, batchSize: 16384, lingerMs: 1, bufferMemoryBytes: 33554432 });
    expect(c.kafka.messageTimeoutMs).to.be.at.most(30_000);
    expect(c.limits).to.include({ bodyBytes: 1024 * 1024, batchItems: 10_000 });
  });

  it('reads values from the environment and freezes the result', () => {
    const c = loadConfig({ PORT: '9000', KAFKA_LINGER_MS: '0', SOURCE_NAME: 'svc', KAFKA_ENABLE_IDEMPOTENCE: 'false' });
    expect(c.http.port).to.equal(9000);
    expect(c.kafka.lingerMs).to.equal(0);
    expect(c.kafka.enableIdempotence).to.equal(false);
    expect(c.source).to.equal('svc');
    expect(Object.isFrozen(c.kafka)).to.equal(true);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).http.port).to.equal(8001);
  });

  for (const [name, value] of [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['BODY_LIMIT_BYTES', '-1'],
    ['KAFKA_BOOTSTRAP_SERVERS', 'no-port-here'],
    ['KAFKA_MESSAGE_TIMEOUT_MS', '10'],
    ['LOG_LEVEL', 'loud'],
    ['KAFKA_ENABLE_IDEMPOTENCE', 'maybe'],
    ['UNREGISTERED_TOPICS', 'maybe'],
    ['SCHEMA_MAX_DEPTH', '0'],
    ['DEAD_LETTER_TOPIC', 'bad topic'],
    ['CODE_EXECUTION_TOPIC', '__internal'],
  ] as const) {
    it(`stops on ${name}=${value}, naming the variable`, () => {
      expect(() => loadConfig({ [name]: value }))
        .to.throw(ConfigError)
        .with.property('message')
        .that.contains(name);
    });
  }
});
