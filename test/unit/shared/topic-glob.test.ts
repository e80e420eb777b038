import { expect } from 'chai';
import { compileTopicPatterns } from '../../../src/shared/topic-glob.js';

describe('topic patterns', () => {
  const m = compileTopicPatterns(['orders.*', 'user-events', '*-audit', 'a.*.c']);

  it('`*` matches inside one dot-separated segment only', () => {
    expect(m.matches('orders.created')).to.equal(true);
    expect(m.matches('orders.')).to.equal(true);
    expect(m.matches('orders')).to.equal(false);
    expect(m.matches('orders.eu.created')).to.equal(false);
    expect(m.matches('a.b.c')).to.equal(true);
    expect(m.matches('a.b.x.c')).to.equal(false);
    expect(m.matches('billing-audit')).to.equal(true);
    expect(m.matches('x.billing-audit')).to.equal(false);
  });

  it('names without `*` match exactly, and are the only ones listed as exact', () => {
    expect(m.matches('user-events')).to.equal(true);
    expect(m.matches('user-events2')).to.equal(false);
    expect([...m.exact]).to.deep.equal(['user-events']);
  });

  it('other characters are literal: "." is no regex wildcard', () => {
    expect(compileTopicPatterns(['a.b']).matches('axb')).to.equal(false);
    expect(compileTopicPatterns(['a-*']).matches('a-b')).to.equal(true);
  });

  it('no patterns match nothing', () => {
    expect(compileTopicPatterns([]).matches('anything')).to.equal(false);
  });

  it('refuses characters a topic cannot have', () => {
    expect(() => compileTopicPatterns(['orders/*'])).to.throw(/orders\/\*/);
    expect(() => compileTopicPatterns(['(a|b)'])).to.throw();
  });
});
