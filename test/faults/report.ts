import { readFileSync, writeFileSync } from 'node:fs';
import type { Row } from './accounting.js';

const secs = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

function outcome(row: Row, kind: string): string {
  const o = row.unacked[kind];
  return o ? `${o.total} (${o.written} written)` : '0';
}

function others(row: Row): string {
  const parts = Object.entries(row.unacked)
    .filter(([kind]) => kind !== '503' && kind !== '504')
    .map(([kind, o]) => `${kind} ${o.total} (${o.written} written${o.reused ? `, ${o.reused} on reused sockets` : ''})`);
  return parts.length > 0 ? parts.join(', ') : '0';
}

/** The fault table as Markdown (it reads well in a terminal too). */
export function table(rows: Row[]): string {
  const head = [
    'fault',
    'requests',
    'acked (2xx)',
    'acked and found',
    'duplicates',
    '503 (ghost writes)',
    '504 (ghost writes)',
    'other unacked (ghost writes)',
    'longest answer (client)',
    'longest answer (gateway log)',
    'longest 2xx gap',
    'first 2xx after broker back',
    'checks',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    lines.push(
      `| ${[
        r.fault,
        r.requests,
        r.acked,
        r.ackedFound,
        r.duplicates,
        outcome(r, '503'),
        outcome(r, '504'),
        others(r),
        `${secs(r.longestMs)} (${r.longestWhat})`,
        secs(r.gatewayLongestMs),
        secs(r.longest2xxGapMs),
        secs(r.first2xxAfterBackMs),
        r.failures.length === 0 ? 'pass' : `**FAIL**: ${r.failures.join('; ')}`,
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

export function notes(rows: Row[]): string {
  return rows
    .map((r) => {
      const extra = r.ackedWithoutOffset > 0 ? [`${r.ackedWithoutOffset} 2xx answers without a usable offset`] : [];
      return `- ${r.fault}: ${[...r.notes, ...extra].join('; ') || '-'}`;
    })
    .join('\n');
}

/** Replaces the "## Fault suite" section of a Markdown file (or appends it). */
export function writeSection(file: string, body: string): void {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = '# Reliability\n';
  }
  const section = `## Fault suite\n\n${body.trim()}\n`;
  const start = text.indexOf('\n## Fault suite\n');
  if (start < 0) {
    writeFileSync(file, `${text.trimEnd()}\n\n${section}`);
    return;
  }
  const next = text.indexOf('\n## ', start + 1);
  const rest = next < 0 ? '' : text.slice(next);
  writeFileSync(file, `${text.slice(0, start)}\n${section}${rest}`);
}
