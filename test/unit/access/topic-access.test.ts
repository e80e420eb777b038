import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { parseKeys } from '../../../src/access/keys-file.js';
import { createTopicAccess } from '../../../src/access/topic-access.js';
import { compileTopicPatterns } from '../../../src/shared/topic-glob.js';
import { GatewayError } from '../../../src/errors/gateway-error.js';

const sha = (key: string) => createHash('sha256').update(key).digest('hex');
const entries = parseKeys([
  { name: 'app', key_sha256: sha('a'), topics: ['orders.*', 'status.*', 'events'] },
  { name: 'worker', key_sha256: sha('w'), topics: ['status.updates'] },
]);
const byName = new Map(entries.map((e) => [e.name, e]));
const reserved = new Set(['status.updates', 'dlq']);

describe('topic access', () => {
  const withKeys = createTopicAccess({ client: (n) => byName.get(n), reserved, policy: undefined, topicExists: undefined });

  it('with keys: a pattern opens a topic, anything else is reason "key"', () => {
    expect(withKeys.refusal({ name: 'app' }, 'orders.new')).to.equal(undefined);
    expect(withKeys.refusal({ name: 'app' }, 'payments')).to.equal('key');
    expect(withKeys.refusal({ name: 'gone' }, 'orders.new')).to.equal('key');
    expect(withKeys.refusal(undefined, 'orders.new')).to.equal('key');
  });

  it('a reserved topic needs its exact name in the entry, a matching glob is not enough', () => {
    expect(withKeys.refusal({ name: 'app' }, 'status.updates')).to.equal('reserved');
    expect(withKeys.refusal({ name: 'worker' }, 'status.updates')).to.equal(undefined);
    expect(withKeys.refusal({ name: 'worker' }, 'dlq')).to.equal('reserved');
  });

  it('without keys: every topic but the reserved ones', () => {
    const open = createTopicAccess({ client: undefined, reserved, policy: undefined, topicExists: undefined });
    expect(open.refusal(undefined, 'anything')).to.equal(undefined);
    expect(open.refusal(undefined, 'dlq')).to.equal('reserved');
  });

  it('TOPIC_ALLOW narrows every client; the stage throws TOPIC_FORBIDDEN with the reason', () => {
    const a = createTopicAccess({ client: (n) => byName.get(n), reserved, policy: compileTopicPatterns(['orders.*']), topicExists: undefined });
    expect(a.refusal({ name: 'app' }, 'events')).to.equal('policy');
    expect(a.refusal({ name: 'app' }, 'orders.x')).to.equal(undefined);
    const ctx = { requestId: 'r', receivedAt: new Date(), client: { name: 'app' } };
    try {
      a.validate({ topic: 'events', message: 1, headers: {} }, ctx);
      expect.fail('no error');
    } catch (err) {
      expect(err).to.be.instanceOf(GatewayError);
      expect((err as GatewayError).code).to.equal('TOPIC_FORBIDDEN');
      expect((err as GatewayError).info).to.deep.equal({ reason: 'policy' });
    }
  });

  it('REQUIRE_EXISTING_TOPICS: a topic missing from the cached list is UNKNOWN_TOPIC', () => {
    const a = createTopicAccess({ client: undefined, reserved, policy: undefined, topicExists: (t) => t === 'there' });
    const ctx = { requestId: 'r', receivedAt: new Date() };
    expect(() => a.validate({ topic: 'there', message: 1, headers: {} }, ctx)).not.to.throw();
    expect(() => a.validate({ topic: 'typo', message: 1, headers: {} }, ctx)).to.throw(GatewayError, /does not exist/);
  });
});
