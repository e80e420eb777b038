import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import { GatewayError } from '../../errors/gateway-error.js';
import type { IdempotencyStore, StoredAnswer, Ticket } from '../../idempotency/store.js';
import type { ProduceAnswer } from '../routes/produce-answers.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** SHA-256 of the request body bytes (after content decoding), kept only when an Idempotency-Key came. */
    bodyHash?: string;
  }
}

/** Printable ASCII without spaces, at most 255 characters (the IETF draft's advice for a UUID or similar). */
const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * express.json's verify hook: hashes the raw bytes only for requests that carry a key, so a retry
 * with the same key is recognised as the same request whatever the JSON formatting was... as long
 * as the bytes are equal (we compare bytes, not parsed JSON: cheaper and never ambiguous).
 */
export function hashBodyForIdempotency(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  if (req.headers['idempotency-key'] !== undefined) (req as Request).bodyHash = createHash('sha256').update(buf).digest('hex');
}

function stored(answer: ProduceAnswer): StoredAnswer {
  return { status: answer.status, headers: answer.headers, body: JSON.stringify(answer.body) };
}

function send(res: Response, answer: StoredAnswer, replayed: boolean): void {
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  if (replayed) res.setHeader('Idempotent-Replayed', 'true');
  // A dialect names its own media type in the answer's headers (REST Proxy: application/vnd.kafka.v2+json).
  if (answer.headers['Content-Type'] === undefined) res.type('application/json');
  res.status(answer.status).send(answer.body);
}

/** Refusals (nothing written) and internal errors are not answers to remember: a retry runs again. */
function remembered(status: number): boolean {
  return status !== 503 && status !== 500;
}

/**
 * Runs `produce` at most once per (client, Idempotency-Key) within the window and replays its
 * answer to retries. Without the header it just runs and sends.
 */
export async function answerOnce(
  req: Request,
  res: Response,
  store: IdempotencyStore | undefined,
  scope: string,
  produce: () => Promise<ProduceAnswer>,
): Promise<void> {
  const key = req.get('idempotency-key');
  if (key === undefined || store === undefined) return send(res, stored(await produce()), false);
  if (!KEY.test(key)) throw new GatewayError('INVALID_IDEMPOTENCY_KEY', undefined, { field: 'Idempotency-Key' });
  // \u0000 cannot occur in a key or a client name, so scopes cannot collide.
  const { answer, replayed } = await runOnce(store, `${scope}\u0000${key}`, `${req.method} ${req.path} ${req.bodyHash ?? ''}`, produce);
  send(res, answer, replayed);
}

/** Sends an answer given by runOnce (or made fresh): headers, status, the body as it was stored. */
export function sendAnswer(res: Response, answer: ProduceAnswer | StoredAnswer, replayed: boolean): void {
  send(res, typeof answer.body === 'string' ? (answer as StoredAnswer) : stored(answer as ProduceAnswer), replayed);
}

/**
 * Runs `produce` at most once per `id` within the window; a later call with the same id gets the
 * stored answer (replayed: true). `fingerprint` tells a retry from a different request under the
 * same id (IDEMPOTENCY_KEY_REUSED). Dialects call it with ids of their own (CloudEvents source + id).
 */
export async function runOnce(
  store: IdempotencyStore,
  id: string,
  fingerprint: string,
  produce: () => Promise<ProduceAnswer>,
): Promise<{ answer: StoredAnswer; replayed: boolean }> {
  for (;;) {
    const begun = store.begin(id, fingerprint);
    switch (begun.kind) {
      case 'mismatch':
        throw new GatewayError('IDEMPOTENCY_KEY_REUSED', undefined, { field: 'Idempotency-Key' });
      case 'full':
        throw new GatewayError('OVERLOADED', 'too many idempotency keys in flight; not written, retry later');
      case 'replay':
        return { answer: begun.answer, replayed: true };
      case 'wait':
        // The first request with this key is still in flight: its answer is ours (or, if it was
        // refused, the key is free again and the loop runs this one).
        await begun.until;
        continue;
      case 'run': {
        let answer: ProduceAnswer;
        try {
          answer = await produce();
        } catch (err) {
          // Bad input thrown before the pipeline: the same request gets the same refusal anyway.
          store.abandon(begun.ticket);
          throw err;
        }
        return { answer: settle(store, begun.ticket, answer), replayed: false };
      }
    }
  }
}

/** Records a fresh answer under its ticket, as final, bound to outcomes still unknown, or not at all (a refusal). */
export function settle(store: IdempotencyStore, ticket: Ticket, answer: ProduceAnswer): StoredAnswer {
  const first = stored(answer);
  if (answer.eventual) store.bindUnknown(ticket, first, answer.eventual.then(stored));
  else if (remembered(answer.status)) store.finish(ticket, first);
  else store.abandon(ticket);
  return first;
}
