import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from '../../../src/webhooks/signature.js';

const SECRET = 'a-webhook-secret-of-some-length';
const BODY = '{"event_id":"evt_1","status":"PASSED"}';

describe('webhook signature', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>', () => {
    const header = signWebhook(SECRET, BODY, 1_700_000_000);
    const expected = createHmac('sha256', SECRET).update(`1700000000.${BODY}`).digest('hex');
    expect(header).to.equal(`t=1700000000,v1=${expected}`);
  });

  it('verifies its own signature within the tolerance', () => {
    const header = signWebhook(SECRET, BODY, 1_700_000_000);
    expect(verifyWebhookSignature(SECRET, BODY, header, { nowSeconds: 1_700_000_100 })).to.equal(true);
  });

  it('refuses another body, another secret, an old timestamp and junk', () => {
    const header = signWebhook(SECRET, BODY, 1_700_000_000);
    const at = { nowSeconds: 1_700_000_000 };
    expect(verifyWebhookSignature(SECRET, BODY.replace('PASSED', 'FAILED'), header, at)).to.equal(false);
    expect(verifyWebhookSignature('another-secret-of-some-length', BODY, header, at)).to.equal(false);
    expect(verifyWebhookSignature(SECRET, BODY, header, { nowSeconds: 1_700_000_000 + 301 })).to.equal(false);
    // The timestamp is inside the MAC: moving it forward breaks the signature.
    expect(verifyWebhookSignature(SECRET, BODY, header.replace('t=1700000000', 't=1700000001'), { nowSeconds: 1_700_000_001 })).to.equal(false);
    for (const junk of [undefined, '', 'v1=abc', 't=x,v1=00', `t=1700000000,v1=${'0'.repeat(63)}`, 'x'.repeat(2000)]) {
      expect(verifyWebhookSignature(SECRET, BODY, junk, at), String(junk)).to.equal(false);
    }
  });
});
