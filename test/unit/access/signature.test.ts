import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { parseSignatureHeader, signatureMatches, signRequest } from '../../../src/access/signature.js';

describe('request signatures', () => {
  const secret = Buffer.from('a-shared-secret-of-some-length');
  const body = Buffer.from('{"topic":"t","message":{"a":1}}');

  it('signs "<t>.<body>" with HMAC-SHA256, as the docs tell clients to', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body.toString()}`).digest('hex');
    expect(signRequest(secret, 1700000000, body)).to.equal(`t=1700000000,v1=${expected}`);
  });

  it('accepts its own signature and refuses a body changed by one byte', () => {
    const header = parseSignatureHeader(signRequest(secret, 1700000000, body))!;
    expect(signatureMatches(secret, header, body)).to.equal(true);
    const altered = Buffer.from(body);
    altered[altered.length - 2] = 0x32; // "1" → "2"
    expect(signatureMatches(secret, header, altered)).to.equal(false);
  });

  it('refuses another secret and another timestamp', () => {
    const header = parseSignatureHeader(signRequest(secret, 1700000000, body))!;
    expect(signatureMatches(Buffer.from('another-secret-entirely!'), header, body)).to.equal(false);
    expect(signatureMatches(secret, { ...header, timestamp: 1700000001 }, body)).to.equal(false);
  });

  it('parses only the documented header shape', () => {
    const hex = 'ab'.repeat(32);
    expect(parseSignatureHeader(`t=12,v1=${hex}`)).to.deep.equal({ timestamp: 12, digest: Buffer.from(hex, 'hex') });
    expect(parseSignatureHeader(`t=12, v1=${hex}`)?.timestamp).to.equal(12);
    for (const bad of ['', 't=12', `v1=${hex}`, `t=x,v1=${hex}`, `t=12,v1=${hex.slice(2)}`, `t=12,v1=${hex}zz`, `v1=${hex},t=12`]) {
      expect(parseSignatureHeader(bad), bad).to.equal(undefined);
    }
  });
});
