import { expect } from 'chai';
import protobuf from 'protobufjs';
import { CodecMismatch, CodecUnusable } from '../../../src/serdes/codec.js';
import { encodeIndexes, protobufCodec } from '../../../src/serdes/protobuf-codec.js';
import { unframe } from '../../../src/serdes/wire-format.js';

const proto = `syntax = "proto3";
package com.acme;
enum Kind { KIND_UNSPECIFIED = 0; CLICK = 1; VIEW = 2; }
message Event {
  string event_id = 1;
  int64 user_id = 2;
  Kind kind = 3;
  repeated string tags = 4;
  map<string, int32> counts = 5;
  Inner inner = 6;
  oneof target { string url = 7; int32 item = 8; }
  bytes blob = 9;
  message Inner { double score = 1; }
}
message Other { string a = 1; }
`;

function errorsOf(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    if (err instanceof CodecMismatch) return err.errors;
    throw err;
  }
  throw new Error('expected a mismatch');
}

describe('serdes: Protobuf codec (protobufjs)', () => {
  const root = protobuf.parse(proto, { keepCase: true }).root;

  it('encodes the first message by default with the message-index list [0] as one zero byte', () => {
    const codec = protobufCodec(5, proto, undefined);
    const value = { event_id: 'e1', user_id: '9007199254740993', kind: 'CLICK', tags: ['a'], counts: { x: 2 }, inner: { score: 0.5 }, url: 'https://x', blob: 'AAE=' };
    const framed = unframe(codec.encode(value))!;
    expect(framed.schemaId).to.equal(5);
    expect(framed.payload[0]).to.equal(0);
    const decoded = root.lookupType('com.acme.Event').decode(framed.payload.subarray(1));
    expect(root.lookupType('com.acme.Event').toObject(decoded, { longs: String, enums: String, bytes: String })).to.deep.equal(value);
  });

  it('a named message gets its own index path: Other is [1], Event.Inner is [0, 0]', () => {
    expect([...unframe(protobufCodec(5, proto, 'com.acme.Other').encode({ a: 'x' }))!.payload.subarray(0, 2)]).to.deep.equal([2, 2]); // count 1, index 1 (zig-zag)
    expect([...unframe(protobufCodec(5, proto, 'com.acme.Event.Inner').encode({ score: 1 }))!.payload.subarray(0, 3)]).to.deep.equal([4, 0, 0]);
    expect([...encodeIndexes([0])]).to.deep.equal([0]);
    expect([...encodeIndexes([3, 70])]).to.deep.equal([4, 6, 0x8c, 0x01]);
  });

  it('names each field that does not fit, instead of letting protobufjs coerce or drop it', () => {
    const codec = protobufCodec(5, proto, undefined);
    expect(errorsOf(() => codec.encode({ event_id: 1, user_id: 1.5, kind: 'NOPE', tags: 'a', inner: { score: 'high' }, url: 'u', item: 3, colour: 'red' }))).to.deep.equal([
      { path: '$.event_id', message: 'must be a string' },
      { path: '$.user_id', message: 'must be an integer, or a decimal string for values beyond 2^53 (int64)' },
      { path: '$.kind', message: 'must be one of "KIND_UNSPECIFIED", "CLICK", "VIEW"' },
      { path: '$.tags', message: 'must be an array (repeated field)' },
      { path: '$.inner.score', message: 'must be a number (double)' },
      { path: '$.colour', message: 'is not allowed here (no such field in the schema)' },
      { path: '$.item', message: 'only one of url, item may be set (oneof target)' },
    ]);
  });

  it('a .proto it cannot use is unusable: syntax errors, imports, an unknown record name', () => {
    expect(() => protobufCodec(1, 'message {', undefined)).to.throw(CodecUnusable);
    expect(() => protobufCodec(1, 'syntax = "proto3"; import "google/protobuf/timestamp.proto"; message A { google.protobuf.Timestamp t = 1; }', undefined)).to.throw(CodecUnusable);
    expect(() => protobufCodec(1, proto, 'com.acme.Missing')).to.throw(CodecUnusable);
  });
});
