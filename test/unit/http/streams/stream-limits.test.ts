import { expect } from 'chai';
import { GatewayError } from '../../../../src/errors/gateway-error.js';
import { StreamLimits } from '../../../../src/http/streams/stream-limits.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof GatewayError ? err.code : 'other';
  }
  return undefined;
}

describe('StreamLimits', () => {
  it('caps streams per client, gateway-wide and tails, and frees slots once', () => {
    const limits = new StreamLimits({ maxOpen: 3, maxPerClient: 2, tailMaxConcurrent: 1 });
    const r1 = limits.acquire('a', 'status', () => {});
    limits.acquire('a', 'status', () => {});
    expect(codeOf(() => limits.acquire('a', 'status', () => {}))).to.equal('TOO_MANY_CLIENT_STREAMS');
    limits.acquire('b', 'tail', () => {});
    expect(codeOf(() => limits.acquire('c', 'tail', () => {}))).to.equal('TOO_MANY_TAILS');
    expect(codeOf(() => limits.acquire('c', 'status', () => {}))).to.equal('TOO_MANY_STREAMS');
    r1();
    r1();
    expect(limits.openStreams).to.equal(2);
    expect(codeOf(() => limits.acquire('a', 'status', () => {}))).to.equal(undefined);
  });

  it('closeAll ends every open stream', () => {
    const limits = new StreamLimits({ maxOpen: 10, maxPerClient: 10, tailMaxConcurrent: 10 });
    const closed: string[] = [];
    const releases = ['x', 'y'].map((n) => {
      const release = limits.acquire(n, 'status', () => {
        closed.push(n);
        release();
      });
      return release;
    });
    expect(releases).to.have.length(2);
    limits.closeAll();
    expect(closed).to.deep.equal(['x', 'y']);
    expect(limits.openStreams).to.equal(0);
  });
});
