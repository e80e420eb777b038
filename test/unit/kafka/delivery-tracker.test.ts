import { expect } from 'chai';
import { GatewayError } from '../../../src/errors/gateway-error.js';
import { DeliveryTracker, OutcomeUnknownError } from '../../../src/kafka/delivery-tracker.js';

describe('DeliveryTracker', () => {
  it('settles a message with its report', async () => {
    const t = new DeliveryTracker();
    const { id, settled } = t.track(1000, 'r1', 'topic');
    expect(t.size).to.equal(1);
    expect(t.delivered(id, { partition: 0, offset: 5 })).to.equal(undefined);
    expect(await settled).to.deep.equal({ partition: 0, offset: 5 });
    expect(t.size).to.equal(0);
  });

  it('past its deadline a message is answered unknown, stays tracked, and its late report settles `eventual`', async () => {
    const t = new DeliveryTracker();
    const a = t.track(100, 'r1', 'ta');
    const b = t.track(200, 'r2', 'tb');
    expect(t.expire(99)).to.have.length(0);
    const expired = t.expire(150);
    expect(expired.map((u) => u.requestId)).to.deep.equal(['r1']);
    const err = await a.settled.then(
      () => expect.fail('should not resolve'),
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(OutcomeUnknownError);
    expect((err as OutcomeUnknownError).code).to.equal('DELIVERY_OUTCOME_UNKNOWN');
    expect(t.size).to.equal(2); // still in librdkafka: counts against MAX_IN_FLIGHT
    expect(t.waiting).to.equal(1);
    const late = t.delivered(a.id, { partition: 1, offset: 7 });
    expect(late).to.include({ requestId: 'r1', topic: 'ta' });
    expect(await (err as OutcomeUnknownError).eventual).to.deep.equal({ partition: 1, offset: 7 });
    expect(t.size).to.equal(1);
    t.delivered(b.id, { partition: 0, offset: 1 });
    await b.settled;
  });

  it('teardown fails what is left, answered or not; whenIdle waits for late reports too', async () => {
    const t = new DeliveryTracker();
    const a = t.track(0, 'r1', 't');
    t.expire(1);
    const err = (await a.settled.catch((e: unknown) => e)) as OutcomeUnknownError;
    let idle = false;
    void t.whenIdle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).to.equal(false);
    t.failAll(new GatewayError('DELIVERY_OUTCOME_UNKNOWN'));
    const final = await err.eventual.catch((e: unknown) => e);
    expect(final).to.be.instanceOf(GatewayError);
    await Promise.resolve();
    expect(idle).to.equal(true);
  });
});
