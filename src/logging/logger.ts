import winston from 'winston';

export type Logger = winston.Logger;

/** JSON lines on stdout; one line per event, no payloads or secrets are ever passed in. */
export function createLogger(level: string, silent = false): Logger {
  return winston.createLogger({
    level,
    silent,
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
    defaultMeta: { service: 'kgate' },
    transports: [new winston.transports.Console()],
  });
}
