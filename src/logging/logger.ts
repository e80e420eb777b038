import sonicBoomModule, { type SonicBoom as SonicBoomClass } from 'sonic-boom';
import winston from 'winston';
import TransportStream from 'winston-transport';

export type Logger = winston.Logger;

// sonic-boom is CommonJS (module.exports = the class); its typings describe an ES module.
const SonicBoom = sonicBoomModule as unknown as typeof SonicBoomClass;
type SonicBoom = SonicBoomClass;

/** logform's key for the finished line (triple-beam's MESSAGE). */
const MESSAGE = Symbol.for('message');
const fallbackJson = winston.format.json();

/**
 * timestamp + nested error + JSON in one step. The stock combine (timestamp(), a nested-error
 * format, json()) cost three format calls and safe-stable-stringify per line; plain JSON.stringify
 * is faster, and the safe serialiser is kept for the rare line it cannot write (a cycle, a BigInt).
 * winston's errors() format only unwraps a top-level Error; ours are passed as { err }.
 */
const jsonLine = winston.format((info) => {
  info['timestamp'] = new Date().toISOString();
  const err = info['err'];
  if (err instanceof Error) {
    info['err'] = { name: err.name, message: err.message, stack: err.stack, code: (err as { code?: unknown }).code };
  }
  try {
    (info as Record<symbol, unknown>)[MESSAGE] = JSON.stringify(info);
    return info;
  } catch {
    return fallbackJson.transform(info, {}) as typeof info;
  }
});

// Lines gather up to 8 KiB or 100 ms, whichever comes first, then go out in one write.
const BUFFER_BYTES = 8192;
const FLUSH_EVERY_MS = 100;
// If stdout stalls (a full pipe, a stuck disk), lines past this are dropped rather than held
// without bound; the first drop is reported on stderr.
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
let stdout: SonicBoom | undefined;
/** Lines logged during this turn of the event loop, handed to sonic-boom together at its end. */
let turnLines: string[] = [];

/**
 * One buffered, asynchronous writer of stdout per process, shared by every logger. A synchronous
 * write per line (winston's Console transport on a file or pipe) cost the access log 20–60 µs per
 * request; here they are gathered and written asynchronously. sonic-boom 4 measures its whole
 * pending string on every write (3.5 µs per 250-byte line, bench/log-write.mjs), so the lines of
 * one event-loop turn go to it as one string. Its buffer mode avoids that cost but holds every line
 * as a small Buffer, which kept Buffer pool slabs alive: the gateway's peak RSS went from 145 to
 * 240 MiB under `npm run bench` (docs/benchmarks.md). Nothing is lost at exit: main.ts awaits
 * flushLogs() before process.exit, and an 'exit' hook writes what is left.
 */
function stdoutDestination(): SonicBoom {
  if (stdout) return stdout;
  const destination = new SonicBoom({ fd: process.stdout.fd, sync: false, minLength: BUFFER_BYTES, maxLength: MAX_BUFFERED_BYTES, periodicFlush: FLUSH_EVERY_MS });
  destination.once('drop', () => process.stderr.write(`kgate: stdout stalled; log lines past ${MAX_BUFFERED_BYTES} buffered bytes are dropped\n`));
  process.on('exit', () => {
    try {
      handOverTurnLines();
      destination.flushSync();
    } catch {
      // a write still under way (or stdout gone): nothing more can be done this late
    }
  });
  stdout = destination;
  return destination;
}

function handOverTurnLines(): void {
  if (turnLines.length === 0) return;
  const text = `${turnLines.join('\n')}\n`;
  turnLines = [];
  stdout?.write(text);
}

/** Queues one finished line (without its newline) for the end of this event-loop turn. */
function writeLine(line: string): void {
  if (turnLines.length === 0) setImmediate(handOverTurnLines);
  turnLines.push(line);
}

/** winston's transport API over the shared destination: one string per line. */
class BufferedStdout extends TransportStream {
  constructor() {
    super();
    stdoutDestination();
  }

  override log(info: Record<string | symbol, unknown>, done: () => void): void {
    writeLine(info[MESSAGE] as string);
    done();
  }
}

/** Where one kind of frequent line goes: the access log's line per request. */
export interface LineSink {
  info(message: string, fields: Record<string, unknown>): void;
}

/**
 * The same info line as `logger.info(message, fields)` (same fields, order and destination, same
 * level and silent switches, read per line), handed straight to the logger's buffered stdout.
 * winston passes every line through two object-mode streams (its logger is a Transform piped to
 * each transport); a line per request is the one place where that matters: 7.2–9.6 µs per line
 * through winston before, 3.6–5.1 µs this way (`node bench/hot-path.mjs`). Loggers without the
 * stdout transport (tests) get winston's path.
 */
export function directLines(logger: Logger): LineSink {
  const transport = logger.transports.find((t): t is BufferedStdout => t instanceof BufferedStdout);
  if (!transport || logger.transports.length !== 1) return { info: (message, fields) => logger.info(message, fields) };
  // winston's key order (default meta, fields, level, message, then our timestamp), spliced as text:
  // spreading each line's fields into a new object cost more than writing it.
  const meta = JSON.stringify(logger.defaultMeta ?? {}).slice(1, -1);
  return {
    info(message, fields) {
      if (logger.silent || !logger.isInfoEnabled()) return;
      const own = JSON.stringify(fields).slice(1, -1);
      const head = meta && own ? `${meta},${own}` : meta || own;
      const tail = `"level":"info","message":${JSON.stringify(message)},"timestamp":"${new Date().toISOString()}"`;
      writeLine(head ? `{${head},${tail}}` : `{${tail}}`);
    },
  };
}

/** Waits until every line logged so far has reached stdout. */
export async function flushLogs(): Promise<void> {
  const destination = stdout;
  if (!destination) return;
  // A line logged just now may still be on its way through winston's streams.
  await new Promise((resolve) => setImmediate(resolve));
  handOverTurnLines();
  await new Promise<void>((resolve) => destination.flush(() => resolve()));
}

/** JSON lines on stdout; one line per event, no payloads or secrets are ever passed in. */
export function createLogger(level: string, silent = false): Logger {
  return winston.createLogger({
    level,
    silent,
    format: winston.format.combine(winston.format.errors({ stack: true }), jsonLine()),
    defaultMeta: { service: 'kgate' },
    transports: [new BufferedStdout()],
  });
}
