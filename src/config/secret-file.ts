import { readFileSync } from 'node:fs';

/**
 * A value given directly or through <NAME>_FILE (a secret mounted as a file, read once here).
 * One trailing newline is dropped: `echo secret > file` must not put "\n" into the password.
 */
export function valueOrFile(name: string, direct: string | undefined, file: string | undefined, problems: string[]): string | undefined {
  if (direct !== undefined && file !== undefined) {
    problems.push(`${name} and ${name}_FILE: set one, not both`);
    return undefined;
  }
  if (file === undefined) return direct;
  try {
    const value = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    if (value === '') problems.push(`${name}_FILE: ${file} is empty`);
    return value;
  } catch (err) {
    problems.push(`${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}
