import { expect } from 'chai';

// The gateway targets Node 24 LTS (engines.node); a test run on an older runtime must fail, not pass quietly.
describe('runtime', () => {
  it('runs on Node 24 or newer', () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(major, `running on ${process.version} at ${process.execPath}`).to.be.at.least(24);
  });

  it('loads node-rdkafka built for this runtime', async () => {
    const { default: Kafka } = await import('node-rdkafka');
    expect(Kafka.librdkafkaVersion).to.match(/^\d+\.\d+\.\d+/);
  });
});
