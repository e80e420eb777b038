import express, { Router } from 'express';
import path from 'node:path';
import { packageRoot } from '../../package-info.js';

/** Where the /live page's files are: public/live/ in the package root (copied into the image as is). */
export function liveDir(): string {
  return path.join(packageRoot() ?? process.cwd(), 'public', 'live');
}

/**
 * GET /live: a static page (HTML, JS, CSS; no build step, nothing from a CDN) that submits code,
 * follows its status over /ws and tails a topic over SSE. Same origin only, which helmet's default
 * CSP (default-src 'self') allows and nothing more.
 */
export function liveRoutes(dir = liveDir()): Router {
  const router = Router();
  router.get('/live', (req, res, next) => {
    // Relative links in the page resolve against /live/, not /.
    if (req.path === '/live' && !req.originalUrl.split('?')[0]!.endsWith('/')) return res.redirect(301, '/live/');
    next();
  });
  router.use('/live', express.static(dir, { index: 'index.html', fallthrough: true, maxAge: '5m', dotfiles: 'ignore' }));
  return router;
}
