import { expect } from 'chai';
import { loadConfig } from '../../../src/config/config.js';
import { toLibrdkafkaConfig } from '../../../src/kafka/producer-config.js';

describe('producer config: librdkafka timeouts', () => {
  it('message.timeout.ms is KAFKA_DELIVERY_TIMEOUT_MS (120 s), not the answer deadline', () => {
    const { topic } = toLibrdkafkaConfig(loadConfig({}).kafka);
    expect(topic['message.timeout.ms']).to.equal(120_000);
    const custom = toLibrdkafkaConfig(loadConfig({ PRODUCE_DEADLINE_MS: '5000', KAFKA_DELIVERY_TIMEOUT_MS: '60000' }).kafka);
    expect(custom.topic['message.timeout.ms']).to.equal(60_000);
  });

  it('reconnects to a broker that is back within about a second (librdkafka backs off up to 10 s otherwise)', () => {
    expect(toLibrdkafkaConfig(loadConfig({}).kafka).global['reconnect.backoff.max.ms']).to.equal(1000);
  });

  it('a missing topic is given up on within half the answer deadline, so it is a 404 and not a 504', () => {
    const short = toLibrdkafkaConfig(loadConfig({ PRODUCE_DEADLINE_MS: '4000', KAFKA_TOPIC_PROPAGATION_MS: '5000' }).kafka);
    expect(short.global['topic.metadata.propagation.max.ms']).to.equal(2000);
    const dflt = toLibrdkafkaConfig(loadConfig({}).kafka);
    expect(dflt.global['topic.metadata.propagation.max.ms']).to.equal(5000);
  });
});
