import { errorCodes, type ErrorCode } from './codes.js';

export interface ErrorFields {
  /** JSON path of the offending field, e.g. "topic" or "[3].key". */
  field?: string;
  /** Extra machine-readable facts safe to show a client (limits, allowed values). */
  info?: Record<string, unknown>;
  cause?: unknown;
}

/** A failure with a stable code; the HTTP status and retriability come from the codes table. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retriable: boolean;
  readonly field?: string;
  readonly info?: Record<string, unknown>;

  constructor(code: ErrorCode, detail?: string, fields: ErrorFields = {}) {
    const entry = errorCodes[code];
    super(detail ?? entry.detail, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = entry.status;
    this.retriable = entry.retriable;
    if (fields.field !== undefined) this.field = fields.field;
    if (fields.info !== undefined) this.info = fields.info;
  }

  /** The body a client sees: allow-listed fields only, never a stack or a cause. */
  toJSON(): ErrorBody {
    return {
      code: this.code,
      detail: this.message,
      retriable: this.retriable,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.info === undefined ? {} : this.info),
    };
  }
}

export interface ErrorBody {
  code: ErrorCode;
  detail: string;
  retriable: boolean;
  field?: string;
  [extra: string]: unknown;
}

export function isGatewayError(err: unknown): err is GatewayError {
  return err instanceof GatewayError;
}
