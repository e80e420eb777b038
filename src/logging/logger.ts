import winston from 'winston';

export type Logger = winston.Logger;

/** winston's errors() format only unwraps a top-level Error; ours are passed as { err }. */
const nestedError = winston.format((info) => {
  const err = info['err'];
  if (err instanceof Error) {
    info['err'] = { name: err.name, message: err.message, stack: err.stack, code: (err as { code?: unknown }).code };
  }
  return info;
});

/** JSON lines on stdout; one line per event, no payloads or secrets are ever passed in. */
export function createLogger(level: string, silent = false): Logger {
  return winston.createLogger({
    level,
    silent,
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), nestedError(), winston.format.json()),
    defaultMeta: { service: 'kgate' },
    transports: [new winston.transports.Console()],
  });
}
