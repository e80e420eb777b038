import { expect } from 'chai';
import { ClientShare } from '../../../src/pipeline/client-share.js';

describe('ClientShare (each client its share of MAX_IN_FLIGHT)', () => {
  it('counts per client, refuses past the share, frees on release and wakes who waits for room', async () => {
    const share = new ClientShare(2);
    expect(share.take('alice')).to.equal(true);
    expect(share.take('alice')).to.equal(true);
    expect(share.take('alice')).to.equal(false);
    expect(share.free('alice')).to.equal(0);
    expect(share.take('bob')).to.equal(true);
    let woken = false;
    const waiting = share.waitForRoom('alice').then(() => (woken = true));
    await Promise.resolve();
    expect(woken).to.equal(false);
    share.release('alice');
    await waiting;
    expect(share.free('alice')).to.equal(1);
    expect(share.free('bob')).to.equal(1);
  });
});
