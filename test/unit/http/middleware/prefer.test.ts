import { expect } from 'chai';
import type { Request } from 'express';
import { prefersAsync } from '../../../../src/http/middleware/prefer.js';

const req = (prefer?: string) => ({ headers: prefer === undefined ? {} : { prefer } }) as unknown as Request;

describe('Prefer: respond-async (RFC 7240)', () => {
  it('is recognised among other preferences, with parameters, in any case', () => {
    expect(prefersAsync(req('respond-async'))).to.equal(true);
    expect(prefersAsync(req('wait=10, Respond-Async'))).to.equal(true);
    expect(prefersAsync(req('respond-async; x=1'))).to.equal(true);
  });

  it('anything else is the default: wait for the acknowledgement', () => {
    expect(prefersAsync(req())).to.equal(false);
    expect(prefersAsync(req('return=minimal'))).to.equal(false);
    expect(prefersAsync(req('respond-asynchronously'))).to.equal(false);
  });
});
