/** What a finished (simulated) run reports, in the status topic's units: seconds and kilobytes. */
export interface RunResult {
  status: 'PASSED' | 'FAILED';
  output: string;
  error_output: string;
  execution_time: number;
  memory_usage: number;
}

/** Seed 004's rule: a submission passes when its text is at least 10 characters and contains a digit. */
export function passes(code: string): boolean {
  return code.length >= 10 && /\d/.test(code);
}

/** A plausible result for the rule's verdict; no code is ever run. */
export function judge(code: string, language: string, elapsedMs: number): RunResult {
  const lines = code.split('\n').length;
  const common = {
    execution_time: Math.round(elapsedMs) / 1000,
    // A base footprint for the runtime plus a little per character: stable for one input.
    memory_usage: 8192 + Math.min(code.length, 1_000_000) * 2,
  };
  if (passes(code)) {
    return { status: 'PASSED', output: `${language}: ${lines} line(s), ${code.length} characters, ran to completion\n`, error_output: '', ...common };
  }
  return {
    status: 'FAILED',
    output: '',
    error_output: `rejected: the code must be at least 10 characters long and contain a digit (got ${code.length} characters${/\d/.test(code) ? '' : ', no digit'})\n`,
    ...common,
  };
}
