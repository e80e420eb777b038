import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory of package.json, found upwards from this file (src/ under tsx, dist/src/ when built). */
export function packageRoot(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return dir;
}

/** name and version from package.json. */
export function readPackageInfo(): { name: string; version: string } {
  const dir = packageRoot();
  if (dir === undefined) return { name: 'kgate', version: 'unknown' };
  const { name, version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
  return { name, version };
}
