import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Headless Chromium (Debian package `chromium`, scripts/install-system-deps.sh) loading a page and
 * running its scripts for up to `budgetMs` of virtual time: the DOM as rendered, and a screenshot.
 */
export async function renderPage(url: string, screenshot: string, budgetMs = 20_000): Promise<string> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'kgate-chromium-'));
  // Root (CI, containers) cannot use Chromium's sandbox; the page is our own gateway on 127.0.0.1.
  const common = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`, `--virtual-time-budget=${budgetMs}`];
  try {
    const { stdout } = await run('chromium', [...common, '--dump-dom', url], { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
    await run('chromium', [...common, '--window-size=1280,2400', `--screenshot=${screenshot}`, url], { timeout: 60_000 });
    return stdout;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('chromium is not installed: run scripts/install-system-deps.sh (apt-get install -y chromium)');
    }
    throw err;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
