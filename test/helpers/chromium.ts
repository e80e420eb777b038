import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import puppeteer, { type Browser } from 'puppeteer-core';

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

/** Debian's chromium (scripts/install-system-deps.sh); puppeteer-core downloads no browser of its own. */
export const CHROMIUM = process.env.KGATE_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: run scripts/install-system-deps.sh (or set KGATE_CHROMIUM)`);
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in a container has no user namespace sandbox; /dev/shm is often tiny there.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run'],
  });
}
