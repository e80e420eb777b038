import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';

// Swagger UI is served from node_modules (no CDN): these files of swagger-ui-dist, nothing else of it.
const UI_FILES = new Set(['/swagger-ui.css', '/swagger-ui-bundle.js', '/favicon-32x32.png', '/favicon-16x16.png']);
const UI_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const INIT_SCRIPT = '/kgate-docs.js';

// The app-wide helmet policy has upgrade-insecure-requests, which breaks the page's own scripts on a
// plain-HTTP gateway; the UI needs inline styles and data: images, still no inline script and no other origin.
const docsPolicy = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
});

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>kgate API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs${INIT_SCRIPT}"></script>
</body>
</html>
`;

// validatorUrl null: Swagger UI would otherwise send the document to an outside validator service.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

/** GET /openapi.json and GET /docs (Swagger UI with its asset files under /docs/). Always open. */
export function docsRoutes(document: object): Router {
  const router = Router();
  const json = JSON.stringify(document);
  const assets = express.static(UI_DIR, { index: false, fallthrough: false, maxAge: '1h' });

  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(json);
  });

  router.get('/docs', docsPolicy, (_req, res) => {
    res.type('html').send(PAGE);
  });

  // Asset files, not API operations: middleware rather than routes, so the document lists only the API.
  router.use('/docs', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === INIT_SCRIPT) return void res.type('text/javascript').send(INIT);
    if (UI_FILES.has(req.path)) return assets(req, res, next);
    next();
  });
  return router;
}
