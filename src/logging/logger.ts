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

const BUFFER_BYTES = 8192;
const FLUSH_EVERY_MS = 100;
let stdout: SonicBoom | undefined;

/**
 * One buffered, asynchronous writer of stdout per process, shared by every logger. A synchronous
 * write per line (winston's Console transport on a file or pipe) cost the access log 20–60 µs per
 * request; here they are gathered and written asynchronously. Nothing is lost at
 * exit: main.ts awaits flushLogs() before process.exit, and an 'exit' hook writes what is left.
 */
function stdoutDestination(): SonicBoom {
  if (stdout) return stdout;
  // Lines gather up to 8 KiB or 100 ms, whichever comes first, then go out in one write.
  const destination = new SonicBoom({ fd: process.stdout.fd, sync: false, minLength: BUFFER_BYTES, periodicFlush: FLUSH_EVERY_MS });
  process.on('exit', () => {
    try {
      destination.flushSync();
    } catch {
      // a write still under way (or stdout gone): nothing more can be done this late
    }
  });
  stdout = destination;
  return destination;
}

/** winston's transport API over the shared destination: one string write per line. */
class BufferedStdout extends TransportStream {
  constructor(private readonly destination: SonicBoom) {
    super();
  }

  override log(info: Record<string | symbol, unknown>, done: () => void): void {
    this.destination.write(`${info[MESSAGE] as string}\n`);
    done();
  }
}

/** Waits until every line logged so far has reached stdout. */
export async function flushLogs(): Promise<void> {
  const destination = stdout;
  if (!destination) return;
  // A line logged just now may still be on its way through winston's streams.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => destination.flush(() => resolve()));
}

/** JSON lines on stdout; one line per event, no payloads or secrets are ever passed in. */
export function createLogger(level: string, silent = false): Logger {
  return winston.createLogger({
    level,
    silent,
    format: winston.format.combine(winston.format.errors({ stack: true }), jsonLine()),
    defaultMeta: { service: 'kgate' },
    transports: [new BufferedStdout(stdoutDestination())],
  });
}
