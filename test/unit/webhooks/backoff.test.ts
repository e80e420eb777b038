import { expect } from 'chai';
import { backoffDelayMs } from '../../../src/webhooks/backoff.js';

describe('webhook backoff', () => {
  const settings = { backoffBaseMs: 100, backoffMaxMs: 1000 };

  it('doubles the ceiling per retry up to the maximum', () => {
    const top = (retry: number) => backoffDelayMs(retry, settings, () => 0.999999);
    expect([1, 2, 3, 4, 5, 10, 100].map(top)).to.deep.equal([99, 199, 399, 799, 999, 999, 999]);
  });

  it('draws uniformly below the ceiling (full jitter)', () => {
    expect(backoffDelayMs(3, settings, () => 0)).to.equal(0);
    expect(backoffDelayMs(3, settings, () => 0.5)).to.equal(200);
  });
});
