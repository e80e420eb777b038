import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

// Issue 26, finding 3: the defaults let 16 streams × 1 000 exceed MAX_IN_FLIGHT (10 000).
describe('config: stream windows and client shares fit in MAX_IN_FLIGHT', () => {
  it('the defaults are valid: 8 streams × 1 000 ≤ 10 000, and a client may hold half of MAX_IN_FLIGHT', () => {
    const c = loadConfig({});
    expect(c.ndjson.maxOpen * c.ndjson.maxInFlight).to.be.at.most(c.kafka.maxInFlight);
    expect(c.kafka.maxInFlightPerClient).to.equal(5000);
  });

  it('stops when NDJSON_STREAMS_MAX_OPEN × NDJSON_MAX_IN_FLIGHT exceeds MAX_IN_FLIGHT, naming the three', () => {
    for (const env of [{ NDJSON_STREAMS_MAX_OPEN: '16' }, { NDJSON_MAX_IN_FLIGHT: '2000' }, { MAX_IN_FLIGHT: '7999' }]) {
      expect(() => loadConfig(env)).to.throw(ConfigError).with.property('message').that.matches(/NDJSON_STREAMS_MAX_OPEN × NDJSON_MAX_IN_FLIGHT must not exceed MAX_IN_FLIGHT/);
    }
    expect(() => loadConfig({ NDJSON_STREAMS_MAX_OPEN: '16', MAX_IN_FLIGHT: '16000' })).not.to.throw();
  });

  it('MAX_IN_FLIGHT_PER_CLIENT: taken as given, refused above MAX_IN_FLIGHT', () => {
    expect(loadConfig({ MAX_IN_FLIGHT_PER_CLIENT: '2500' }).kafka.maxInFlightPerClient).to.equal(2500);
    expect(() => loadConfig({ MAX_IN_FLIGHT_PER_CLIENT: '20000' })).to.throw(ConfigError).with.property('message').that.contains('MAX_IN_FLIGHT_PER_CLIENT');
  });
});
