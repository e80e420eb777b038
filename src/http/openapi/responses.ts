import type { OperationObject, ResponseObject, ResponsesObject, SchemaObject } from 'openapi3-ts/oas31';
import { carriesRetryAfter, errorCodes, type ErrorCode } from '../../errors/codes.js';
import { codesWithStatus, errorBodySchema } from './components.js';

const requestIdHeader = { 'X-Request-Id': { $ref: '#/components/headers/XRequestId' } };
const retryAfterHeader = { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } };

/**
 * Failures any route can answer: an internal error, and 503 SHUTTING_DOWN while the gateway drains.
 * Authentication and rate limits (401, 429) guard only some routes, and only when they are on:
 * security.ts adds them to the operations they guard, from the gateway's own access settings.
 */
export const ANY_ROUTE_ERROR_STATUSES: readonly number[] = [500, 503];

/** A JSON response; every response carries X-Request-Id. */
export function jsonResponse(description: string, schema: SchemaObject, contentType = 'application/json'): ResponseObject {
  return { description, headers: { ...requestIdHeader }, content: { [contentType]: { schema } } };
}

/** The error answer of one status: the codes of the table with that status, X-Request-Id (and Retry-After where the status carries one: errors/codes.ts). */
export function errorResponse(status: number, only?: readonly ErrorCode[]): ResponseObject {
  const codes = only ?? codesWithStatus(status);
  const list = codes.map((code) => `\`${code}\` (${errorCodes[code].detail})`).join('; ');
  return {
    description: `Refused: ${list}.`,
    headers: { ...requestIdHeader, ...(carriesRetryAfter(status) ? retryAfterHeader : {}) },
    content: { 'application/json': { schema: errorBodySchema(codes) } },
  };
}

export interface OperationSpec extends Omit<OperationObject, 'responses'> {
  summary: string;
  operationId: string;
  /** Success and other non-error answers, by status. */
  responses: Record<string, ResponseObject>;
  /**
   * What of the error table this operation can answer with: a status (every code of that status),
   * or a code (only that code under its status, for a status most of whose codes do not apply).
   * 500 and 503 are added to every one.
   */
  errors?: Array<number | ErrorCode>;
}

/**
 * An operation with its error answers derived from the codes table. Where the operation has an
 * answer of its own at an error status (the batch body on 503, /health's body on 503), the
 * response is either that body or the error body.
 */
export function operation(spec: OperationSpec): OperationObject {
  const { errors = [], responses: own, ...rest } = spec;
  const responses: ResponsesObject = { ...own };
  const whole = new Set([...errors.filter((e): e is number => typeof e === 'number'), ...ANY_ROUTE_ERROR_STATUSES]);
  const some = new Map<number, ErrorCode[]>();
  for (const code of errors.filter((e): e is ErrorCode => typeof e === 'string')) {
    const status = errorCodes[code].status;
    if (!whole.has(status)) some.set(status, [...(some.get(status) ?? []), code]);
  }
  for (const status of [...whole, ...some.keys()].sort((a, b) => a - b)) {
    const key = String(status);
    const error = errorResponse(status, some.get(status));
    const mine = own[key];
    if (!mine) {
      responses[key] = error;
      continue;
    }
    const mineSchema = mine.content?.['application/json']?.schema as SchemaObject;
    const errorSchema = error.content!['application/json']!.schema as SchemaObject;
    responses[key] = {
      description: `${mine.description} Or: ${error.description}`,
      headers: {
        ...mine.headers,
        ...(carriesRetryAfter(status) ? { 'Retry-After': { description: 'Sent with the error body.', schema: { type: 'string', pattern: '^[0-9]+$' } } } : {}),
      },
      content: { 'application/json': { schema: { anyOf: [mineSchema, errorSchema] } } },
    };
  }
  return {
    ...rest,
    parameters: [{ $ref: '#/components/parameters/XRequestId' }, ...(rest.parameters ?? [])],
    responses,
  };
}
