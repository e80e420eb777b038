import { expect } from 'chai';
import { frame, unframe } from '../../../src/serdes/wire-format.js';

describe('serdes: Confluent wire format', () => {
  it('magic byte 0, the schema id big-endian in bytes 1-4, then the payload', () => {
    const out = frame(0x01020304, Buffer.from('{}'));
    expect([...out]).to.deep.equal([0, 1, 2, 3, 4, 0x7b, 0x7d]);
    expect(unframe(out)).to.deep.equal({ schemaId: 0x01020304, payload: Buffer.from('{}') });
  });

  it('a prefix (Protobuf message indexes) goes between the id and the payload', () => {
    expect([...frame(7, Buffer.from([9]), Buffer.from([0]))]).to.deep.equal([0, 0, 0, 0, 7, 0, 9]);
  });

  it('ids up to 2^32-1', () => {
    expect(unframe(frame(0xffffffff, Buffer.alloc(0)))!.schemaId).to.equal(0xffffffff);
  });

  it('plain JSON is not framed', () => {
    expect(unframe(Buffer.from('{"a":1}'))).to.equal(undefined);
    expect(unframe(Buffer.from([0, 1]))).to.equal(undefined);
  });
});
