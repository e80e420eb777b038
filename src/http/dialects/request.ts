import express, { type Request, type RequestHandler, type Response } from 'express';
import { GatewayError } from '../../errors/gateway-error.js';
import type { RequestContext } from '../../shared/request-context.js';
import { hashBodyForIdempotency } from '../middleware/idempotency.js';
import { contextOf } from '../request-context.js';
import { topicNameProblem } from '../../shared/topic-name.js';

// What every dialect adapter needs of the HTTP request, whatever its shape.

/** The pipeline's request context, tagged with the dialect (the `dialect` label of the message counters). */
export function dialectContext(req: Request, dialect: string): RequestContext {
  return { ...contextOf(req), dialect };
}

/** The {topic} of a dialect's path, checked as /produce checks "topic". */
export function topicParam(req: Request): string {
  const topic = req.params['topic'];
  const problem = typeof topic === 'string' ? topicNameProblem(topic) : 'a topic is required';
  if (problem !== undefined) throw new GatewayError('INVALID_TOPIC', problem, { field: 'topic' });
  return topic as string;
}

/**
 * The body as raw bytes, bounded, of any content type (a CloudEvent's data may be anything), hashed
 * for Idempotency-Key like the JSON parser does. A body the access guard already parsed (a signed
 * JSON request) is left as parsed: req.body is then not a Buffer.
 */
export function rawBody(limitBytes: number): RequestHandler {
  return express.raw({ type: () => true, limit: limitBytes, verify: hashBodyForIdempotency });
}

/** rawBody inside a route, so a parser failure (too large, bad encoding) reaches the route's own error shape. */
export function readRawBody(parser: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => parser(req, res, (err?: unknown) => (err === undefined ? resolve() : reject(err))));
}
