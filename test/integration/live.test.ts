import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import type { RunningGateway } from '../../src/gateway.js';
import { launchChromium } from '../helpers/chromium.js';
import { ROOT, uniqueTopic } from '../helpers/env.js';
import { startTestGateway } from '../helpers/gateway.js';
import { startWorker, type RunningWorker } from '../helpers/worker.js';

/** Screenshots land here (gitignored) for a human to look at. */
const SHOTS = path.join(ROOT, '.screenshots');

describe('/live page in headless Chromium (real broker, gateway and worker)', function () {
  this.timeout(120_000);
  let gateway: RunningGateway;
  let worker: RunningWorker;
  let browser: Browser;
  const statusTopic = uniqueTopic('status-live');

  before(async () => {
    gateway = await startTestGateway({ STATUS_TOPIC: statusTopic });
    worker = startWorker({ KGATE_URL: gateway.url, STATUS_TOPIC: statusTopic });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await worker?.stop();
    await gateway?.shutdown();
  });

  it('serves the page with a same-origin CSP', async () => {
    const res = await fetch(`${gateway.url}/live`, { redirect: 'manual' });
    expect(res.status).to.equal(301);
    expect(res.headers.get('location')).to.equal('/live/');
    const page = await fetch(`${gateway.url}/live/`);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    expect(page.headers.get('content-security-policy')).to.match(/default-src 'self'/);
    expect((await fetch(`${gateway.url}/live/live.js`)).headers.get('content-type')).to.match(/javascript/);
    expect((await fetch(`${gateway.url}/live/../package.json`)).status).to.not.equal(200);
  });

  it('submits code, shows its status change live until PASSED or FAILED, and tails the status topic', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push((e as Error).message));
    await page.setViewport({ width: 1280, height: 860 });
    await page.goto(`${gateway.url}/live/`, { waitUntil: 'networkidle0' });

    // Tail the status topic from its start, then submit.
    // The callbacks run in the page; their DOM types are not in this project's lib, hence `any`.
    await page.$eval('#topic', (el: any, topic) => (el.value = topic), statusTopic);
    await page.select('#from', 'earliest');
    await page.click('#tail-button');
    await page.$eval('#code', (el: any) => (el.value = 'print(6 * 7)  # 42'));
    await page.click('#submit-button');

    await page.waitForFunction("['PASSED', 'FAILED'].includes(document.querySelector('#current-status').dataset.status)", { timeout: 90_000 });
    const requestId = await page.$eval('#request-id', (el) => el.textContent);
    const final = await page.$eval('#current-status', (el: any) => el.dataset.status as string);
    const timeline = await page.$$eval('#timeline .status', (els) => els.map((e) => e.textContent));
    expect(requestId).to.match(/\S/);
    expect(final).to.equal('PASSED'); // 18 characters with a digit: seed 004's rule passes it
    expect(timeline.at(-1)).to.equal('PASSED');
    expect(timeline).to.include('PROCESSING');
    await page.waitForFunction(`[...document.querySelectorAll('#tail-rows td:nth-child(3)')].some((td) => td.textContent === ${JSON.stringify(requestId)})`, { timeout: 30_000 });
    expect(await page.$eval('#output', (el) => el.textContent)).to.match(/ran to completion/);

    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'live.png'), fullPage: true });
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
