import { expect } from 'chai';
import { exactValuesProblem } from '../../../src/http/exact-json.js';

const codeOf = (text: string | Buffer) => exactValuesProblem(typeof text === 'string' ? Buffer.from(text) : text)?.code;

describe('exact values (issue 26: never change a value silently)', () => {
  it('refuses numbers that would not be written back as the same decimal', () => {
    for (const n of ['1e400', '-1e400', '1e-400', '9007199254740993', '-9007199254740993', '1152921504606846976', '0.12345678901234567890', '123456789.123456789']) {
      expect(codeOf(`{"a":${n}}`), n).to.equal('NUMBER_NOT_EXACT');
    }
  });

  it('accepts numbers written back as the same decimal, in any spelling of it', () => {
    for (const n of ['0', '-0', '1', '0.1', '1.0', '1.50', '1e2', '1E+2', '2.5e-3', '1e300', '9007199254740991', '-9007199254740991', '12345678901234.5', '123456789012345']) {
      expect(codeOf(`{"a":${n}}`), n).to.equal(undefined);
    }
  });

  it('looks only at numbers: digits and "e" inside strings are text', () => {
    expect(codeOf('{"id":"12345678901234567890","v":"3e999"}')).to.equal(undefined);
    expect(codeOf('{"k\\"1e400":1}')).to.equal(undefined);
  });

  it('refuses invalid UTF-8, accepts valid multi-byte text', () => {
    expect(codeOf(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]))).to.equal('INVALID_UTF8');
    expect(codeOf('{"a":"café ☕ 𝄞"}')).to.equal(undefined);
  });

  it('leaves invalid JSON to the parser', () => {
    expect(codeOf('{"a": 1e400')).to.equal('NUMBER_NOT_EXACT');
    expect(codeOf('{"a": ')).to.equal(undefined);
  });

  it('checks bodies above the loop threshold the same way', () => {
    const pad = 'x'.repeat(4096);
    expect(codeOf(`{"p":"${pad}","a":9007199254740993}`)).to.equal('NUMBER_NOT_EXACT');
    expect(codeOf(`{"p":"${pad}","a":9007199254740991}`)).to.equal(undefined);
  });
});
