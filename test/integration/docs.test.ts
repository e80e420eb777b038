import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { renderPage } from '../helpers/chromium.js';
import { ROOT } from '../helpers/env.js';
import { getJson, startTestGateway } from '../helpers/gateway.js';

type Json = Record<string, any>;
const SCREENSHOTS = path.join(ROOT, '.screenshots');

const unescapeHtml = (s: string): string =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

describe('GET /openapi.json and the /docs UI', () => {
  let gw: RunningGateway;
  let doc: Json;
  before(async () => {
    gw = await startTestGateway();
    const res = await getJson(`${gw.url}/openapi.json`);
    expect(res.status).to.equal(200);
    doc = res.body;
  });
  after(() => gw?.shutdown());

  it('serves the OpenAPI 3.1 document of this gateway, linked from GET /', async () => {
    expect(doc.openapi).to.equal('3.1.0');
    expect(doc.paths).to.include.keys('/produce', '/produce/batch', '/openapi.json', '/docs');
    expect((await getJson(`${gw.url}/`)).body.endpoints).to.include({ docs: '/docs', openapi: '/openapi.json' });
  });

  it('serves Swagger UI from node_modules under a CSP of its own, and only the files the page needs', async () => {
    const page = await getJson(`${gw.url}/docs`);
    expect(page.status).to.equal(200);
    expect(page.body).to.include('/docs/swagger-ui-bundle.js').and.not.include('//cdn');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).to.include("script-src 'self'").and.not.include('upgrade-insecure-requests').and.not.include('unsafe-eval');
    for (const asset of ['/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css', '/docs/kgate-docs.js']) {
      expect((await fetch(`${gw.url}${asset}`)).status, asset).to.equal(200);
    }
    // The package's own index.html and initializer point at an outside demo document.
    for (const other of ['/docs/index.html', '/docs/swagger-initializer.js', '/docs/../package.json']) {
      expect((await getJson(`${gw.url}${other}`)).status, other).to.equal(404);
    }
  });

  it('renders every operation in headless Chromium (path and summary in the DOM), with a screenshot', async function () {
    this.timeout(120_000);
    mkdirSync(SCREENSHOTS, { recursive: true });
    const screenshot = path.join(SCREENSHOTS, 'docs.png');
    const dom = unescapeHtml(await renderPage(`${gw.url}/docs`, screenshot));
    const rendered = new Set([...dom.matchAll(/data-path="([^"]*)"/g)].map((m) => m[1]));
    for (const [p, item] of Object.entries<Json>(doc.paths)) {
      expect(rendered.has(p), `operation ${p} not rendered`).to.equal(true);
      for (const op of Object.values<Json>(item)) expect(dom, `summary of ${p}`).to.include(op.summary);
    }
    expect(existsSync(screenshot) && statSync(screenshot).size).to.be.greaterThan(10_000);
  });
});
