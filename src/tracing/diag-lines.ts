import { diag, DiagLogLevel } from '@opentelemetry/api';

/** The SDK's warnings and errors, each as one line (its arguments' messages after the text), to `line`; nothing below warn. */
export function sendDiagnosticsTo(line: (text: string) => void): void {
  const report = (message: string, ...args: unknown[]): void => {
    const detail = args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : '')).filter((s) => s !== '').join('; ');
    line(detail ? `${message}: ${detail}` : message);
  };
  const ignore = (): void => {};
  diag.setLogger({ error: report, warn: report, info: ignore, debug: ignore, verbose: ignore }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
}
