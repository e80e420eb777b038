import { connect, type Socket } from 'node:net';

// node-rdkafka 3.6.1 does not expose the cluster id (no describeCluster, and getMetadata() leaves it
// out), but a Kafka Metadata request returns it. Kafka 4 removed Metadata v0-v3 (KIP-896), and v4-v8
// are the non-flexible versions every broker since 1.0 answers: v4 it is, asking for no topics.
const METADATA_API_KEY = 3;
const METADATA_VERSION = 4;
const CORRELATION_ID = 1;
const MAX_RESPONSE_BYTES = 1 << 20;

/** The Metadata v4 request, size-prefixed: header v1 (api key, version, correlation id, client id), then an empty topic list and no auto-creation. */
export function metadataRequest(clientId: string): Buffer {
  const client = Buffer.from(clientId, 'utf8');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + client.length + 4 + 1);
  let at = body.writeInt16BE(METADATA_API_KEY, 0);
  at = body.writeInt16BE(METADATA_VERSION, at);
  at = body.writeInt32BE(CORRELATION_ID, at);
  at = body.writeInt16BE(client.length, at);
  at += client.copy(body, at);
  at = body.writeInt32BE(0, at); // topics: empty array (null would mean all topics)
  body.writeInt8(0, at); // allow_auto_topic_creation: false
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

/** The cluster_id of a Metadata v4 response body (after its size prefix); undefined when the broker has none. */
export function clusterIdOf(response: Buffer): string | undefined {
  let at = 0;
  const int32 = (): number => {
    const v = response.readInt32BE(at);
    at += 4;
    return v;
  };
  const string = (): string | null => {
    const length = response.readInt16BE(at);
    at += 2;
    if (length < 0) return null;
    const s = response.toString('utf8', at, at + length);
    at += length;
    return s;
  };
  if (int32() !== CORRELATION_ID) throw new Error('Metadata response: unexpected correlation id');
  int32(); // throttle_time_ms
  const brokers = int32();
  for (let i = 0; i < brokers; i++) {
    int32(); // node_id
    string(); // host
    int32(); // port
    string(); // rack
  }
  return string() ?? undefined;
}

/**
 * Asks one bootstrap broker for the cluster id over a plain TCP connection. Only for a plaintext
 * listener: a TLS or SASL listener needs that handshake first (not done here; the caller reports
 * the id as unknown).
 */
export function fetchClusterId(bootstrapServers: string, clientId: string, timeoutMs = 5000): Promise<string | undefined> {
  const [first] = bootstrapServers.split(',');
  const hostPort = (first ?? '').trim().replace(/^[a-z]+:\/\//i, '');
  const colon = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(hostPort.slice(colon + 1));
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const done = (err: Error | undefined, id?: string): void => {
      socket.destroy();
      if (err) reject(err);
      else resolve(id);
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`no Metadata response from ${hostPort} in ${timeoutMs} ms`)));
    socket.on('error', (err) => done(err));
    socket.on('connect', () => socket.write(metadataRequest(clientId)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (size < 0 || size > MAX_RESPONSE_BYTES) return done(new Error('Metadata response: bad size'));
      if (received.length < 4 + size) return;
      try {
        done(undefined, clusterIdOf(received.subarray(4, 4 + size)));
      } catch (err) {
        done(err as Error);
      }
    });
  });
}
