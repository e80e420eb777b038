import { expect } from 'chai';
import { GatewayError } from '../../../src/errors/gateway-error.js';
import { createSubmissionClaims } from '../../../src/status/submission-claims.js';
import { StatusView } from '../../../src/status/status-view.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof GatewayError ? err.code : 'other';
  }
  return undefined;
};

describe('submission claims (a submission id is never reused)', () => {
  it('refuses an id the view knows or a call holds; lets it go when the call ends', () => {
    const view = new StatusView({ maxEntries: 10, retentionMs: 60_000, maxHistory: 5 });
    let ready = false;
    const claim = createSubmissionClaims({ view, isReady: () => ready });
    expect(codeOf(() => claim('a'))).to.equal('STATUS_NOT_READY');
    ready = true;
    const release = claim('a');
    expect(codeOf(() => claim('a'))).to.equal('SUBMISSION_EXISTS');
    release();
    expect(codeOf(() => claim('a'))).to.equal(undefined);
    view.apply({ request_id: 'b', status: 'PASSED', updated_at: new Date().toISOString() }, { partition: 0, offset: 1 });
    expect(codeOf(() => claim('b'))).to.equal('SUBMISSION_EXISTS');
  });

  it("the view keeps the owner named on the first queued event, whatever comes after", () => {
    const view = new StatusView({ maxEntries: 10, retentionMs: 60_000, maxHistory: 1 });
    const at = new Date().toISOString();
    view.apply({ request_id: 'c', status: 'queued', updated_at: at }, { partition: 0, offset: 1, client: 'alice' });
    view.apply({ request_id: 'c', status: 'PASSED', updated_at: at }, { partition: 0, offset: 2, client: 'worker' });
    view.apply({ request_id: 'c', status: 'queued', updated_at: at }, { partition: 0, offset: 3, client: 'bob' });
    expect(view.owner('c')).to.equal('alice');
    expect(view.get('c')!.owner).to.equal('alice');
  });
});
