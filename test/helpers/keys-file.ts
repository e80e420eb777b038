import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const sha256Hex = (key: string): string => createHash('sha256').update(key).digest('hex');

export function newKey(): string {
  return randomBytes(24).toString('base64url');
}

/** Writes a keys file (AUTH_KEYS_FILE) in a fresh temporary directory and returns its path. */
export function writeKeysFile(entries: unknown, file?: string): string {
  const target = file ?? path.join(mkdtempSync(path.join(os.tmpdir(), 'kgate-keys-')), 'keys.json');
  writeFileSync(target, typeof entries === 'string' ? entries : JSON.stringify(entries, null, 2));
  return target;
}
