import type { Request } from 'express';

/** Whether the Prefer header (RFC 7240) asks for respond-async; other preferences are ignored. */
export function prefersAsync(req: Request): boolean {
  const header = req.headers['prefer'];
  if (header === undefined) return false;
  for (const part of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    if (part.split(';', 1)[0]!.trim().toLowerCase() === 'respond-async') return true;
  }
  return false;
}
