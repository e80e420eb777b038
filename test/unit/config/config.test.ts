import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

describe('config', () => {
  it('has the seed defaults (batch.size librdkafka\'s 1 000 000): port 8001, acks=all producer with librdkafka retries, linger 1 ms', () => {
    const c = loadConfig({});
    expect(c.http.port).to.equal(8001);
    expect(c.kafka).to.include({ bootstrapServers: '127.0.0.1:9092', retries: undefined, batchSize: 1_000_000, lingerMs: 1, bufferMemoryBytes: 33554432 });
    // librdkafka's own timeout far above the answer deadline: a failover never times a retry out inside it.
    expect(c.kafka).to.include({ deadlineMs: 10_000, messageTimeoutMs: 120_000, maxInFlight: 10_000 });
    expect(c.http).to.include({ shutdownTimeoutMs: 30_000, acceptGraceMs: 1500 });
    expect(c.idempotency).to.deep.equal({ windowMs: 300_000, maxEntries: 100_000, maxBytes: 64 * 1024 * 1024 });
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
    ['PRODUCE_DEADLINE_MS', '10'],
    ['MAX_IN_FLIGHT', '0'],
    ['IDEMPOTENCY_WINDOW_S', '0'],
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

  it('stops when the shutdown budget is shorter than the produce deadline plus its margin, naming both', () => {
    const err = (() => {
      try {
        loadConfig({ PRODUCE_DEADLINE_MS: '20000', SHUTDOWN_TIMEOUT_MS: '15000' });
      } catch (e) {
        return e as Error;
      }
      throw new Error('no error');
    })();
    expect(err).to.be.instanceOf(ConfigError);
    expect(err.message).to.contain('SHUTDOWN_TIMEOUT_MS').and.to.contain('PRODUCE_DEADLINE_MS');
    expect(() => loadConfig({ PRODUCE_DEADLINE_MS: '20000', SHUTDOWN_TIMEOUT_MS: '23500' })).not.to.throw();
    // The accept grace is part of the budget.
    expect(() => loadConfig({ PRODUCE_DEADLINE_MS: '20000', SHUTDOWN_TIMEOUT_MS: '23500', SHUTDOWN_ACCEPT_GRACE_MS: '2000' }))
      .to.throw(ConfigError).with.property('message').that.contains('SHUTDOWN_ACCEPT_GRACE_MS');
  });

  it('keeps librdkafka\'s delivery timeout at least the answer deadline (KAFKA_DELIVERY_TIMEOUT_MS)', () => {
    expect(() => loadConfig({ PRODUCE_DEADLINE_MS: '20000', SHUTDOWN_TIMEOUT_MS: '30000', KAFKA_DELIVERY_TIMEOUT_MS: '15000' }))
      .to.throw(ConfigError).with.property('message').that.contains('KAFKA_DELIVERY_TIMEOUT_MS');
    expect(loadConfig({ KAFKA_DELIVERY_TIMEOUT_MS: '60000' }).kafka.messageTimeoutMs).to.equal(60_000);
  });

  it('refuses bounded KAFKA_RETRIES under idempotence (a leader change would fail messages), allows it without', () => {
    expect(() => loadConfig({ KAFKA_RETRIES: '3' })).to.throw(ConfigError).with.property('message').that.contains('KAFKA_RETRIES');
    expect(loadConfig({ KAFKA_RETRIES: '3', KAFKA_ENABLE_IDEMPOTENCE: 'false' }).kafka.retries).to.equal(3);
  });
});
