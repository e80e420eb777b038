// The Confluent wire format, read by every Confluent deserializer, Kafka Connect, ksqlDB, Flink:
// byte 0 is the magic byte 0, bytes 1-4 the schema id (big-endian), then the encoded value.
// Protobuf adds the message-index list between the id and the value (protobuf-codec.ts).
export const MAGIC_BYTE = 0;
export const HEADER_BYTES = 5;

/** The header and the payload in one buffer, written in place (no concat of two buffers). */
export function frame(schemaId: number, payload: Uint8Array, prefix?: Uint8Array): Buffer {
  const extra = prefix?.length ?? 0;
  const out = Buffer.allocUnsafe(HEADER_BYTES + extra + payload.length);
  out[0] = MAGIC_BYTE;
  out.writeUInt32BE(schemaId, 1);
  if (prefix) out.set(prefix, HEADER_BYTES);
  out.set(payload, HEADER_BYTES + extra);
  return out;
}

/** A framed value's schema id and payload; undefined when it is not in the wire format. */
export function unframe(value: Uint8Array): { schemaId: number; payload: Buffer } | undefined {
  if (value.length < HEADER_BYTES || value[0] !== MAGIC_BYTE) return undefined;
  const buf = Buffer.from(value.buffer, value.byteOffset, value.length);
  return { schemaId: buf.readUInt32BE(1), payload: buf.subarray(HEADER_BYTES) };
}
