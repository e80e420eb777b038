import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { parseSignatureHeader, signatureMatches, signRequest } from '../../../src/access/signature.js';

describe('request signatures', () => {
  const secret = Buffer.from('a-shared-secret-of-some-length');
  const body = Buffer.from('{"topic":"t","message":{"a":1}}');
  const post = { method: 'POST', target: '/produce', body };

  it('signs "<t>.<METHOD>.<path?query>.<body>" with HMAC-SHA256, as the docs tell clients to', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.POST./produce.${body.toString()}`).digest('hex');
    expect(signRequest(secret, 1700000000, post)).to.equal(`t=1700000000,v1=${expected}`);
  });

  it('binds the method, the path and the query: a signature opens no other request', () => {
    const header = parseSignatureHeader(signRequest(secret, 1700000000, { method: 'GET', target: '/schemas' }))!;
    const empty = Buffer.alloc(0);
    expect(signatureMatches(secret, header, { method: 'GET', target: '/schemas', body: empty })).to.equal(true);
    expect(signatureMatches(secret, header, { method: 'GET', target: '/kafka-status', body: empty })).to.equal(false);
    expect(signatureMatches(secret, header, { method: 'GET', target: '/schemas?x=1', body: empty })).to.equal(false);
    expect(signatureMatches(secret, header, { method: 'DELETE', target: '/schemas', body: empty })).to.equal(false);
  });

  it('accepts its own signature and refuses a body changed by one byte', () => {
    const header = parseSignatureHeader(signRequest(secret, 1700000000, post))!;
    expect(signatureMatches(secret, header, post)).to.equal(true);
    const altered = Buffer.from(body);
    altered[altered.length - 2] = 0x32; // "1" → "2"
    expect(signatureMatches(secret, header, { ...post, body: altered })).to.equal(false);
  });

  it('refuses another secret and another timestamp', () => {
    const header = parseSignatureHeader(signRequest(secret, 1700000000, post))!;
    expect(signatureMatches(Buffer.from('another-secret-entirely!'), header, post)).to.equal(false);
    expect(signatureMatches(secret, { ...header, timestamp: 1700000001 }, post)).to.equal(false);
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
