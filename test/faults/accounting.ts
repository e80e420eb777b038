import type { ConsumedRecord } from '../helpers/kcat.js';
import type { Attempt } from './load.js';

/** Moments (run clock, ms) a scenario reports, and which checks apply to it. */
export interface Marks {
  faultAt: number;
  /** When the broker(s) served metadata again; undefined for gateway faults. */
  backAt?: number;
  /** No 2xx may answer a request sent in [from, until): below min.insync.replicas. */
  noAckWindow?: { from: number; until: number };
  /** Replica whose requests must never be reset (SIGTERM). */
  noResetReplica?: number;
  notes: string[];
}

export interface Outcome {
  total: number;
  /** Of those, how many the read-back found in Kafka anyway (ghost writes). */
  written: number;
  /** Resets only: how many hit a kept-alive socket (the server may have closed it idle as the request went out). */
  reused?: number;
}

export interface Row {
  fault: string;
  requests: number;
  acked: number;
  ackedFound: number;
  duplicates: number;
  /** Unacknowledged answers by kind: 503, 504, other HTTP statuses, reset, refused, timeout. */
  unacked: Record<string, Outcome>;
  /** 2xx whose body carried no usable offset (librdkafka's -1001). */
  ackedWithoutOffset: number;
  longestMs: number;
  longestWhat: string;
  /** The longest produce latency the gateways' own access logs show (from request received to answer). */
  gatewayLongestMs?: number;
  first2xxAfterBackMs: number | undefined;
  /** The longest time no request got a 2xx, from a little before the fault to the end. */
  longest2xxGapMs: number;
  failures: string[];
  notes: string[];
}

export interface Limits {
  deadlineMs: number;
  /** Answers may exceed the deadline by this much. */
  slackMs: number;
  /** First 2xx after the broker is back within this. */
  recoveryMs: number;
  /**
   * Client-measured times (longest answer, first 2xx after recovery) fail only past their bound plus this,
   * and only on a quiet run: on a loaded machine a starved client or kernel accept queue adds seconds the
   * gateway never saw. The gateway's own figure (its access log) is held to the bound without a margin.
   */
  clientMarginMs: number;
}

/** What the run knows beyond the attempts: the gateway's own measurement and how trustworthy the client clock was. */
export interface RunHealth {
  /** The longest produce in the gateways' access logs (request received → answer sent). */
  gatewayLongestMs?: number;
  /** Why client-measured times are noise on this run (machine load, a stalled load generator); undefined = quiet. */
  noisy?: string;
}

function kindOf(a: Attempt): string {
  if (a.error) return a.error;
  const s = a.status ?? 0;
  if (s === 503 || s === 504) return String(s);
  return `${Math.floor(s / 100)}xx`;
}

const is2xx = (a: Attempt) => a.status !== undefined && a.status >= 200 && a.status < 300;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Every id of the load, looked up in what an independent consumer read back from the topic. */
export function account(fault: string, attempts: Attempt[], records: ConsumedRecord[], marks: Marks, limits: Limits, health: RunHealth = {}): Row {
  const copies = new Map<string, number>();
  for (const r of records) if (r.key !== null) copies.set(r.key, (copies.get(r.key) ?? 0) + 1);
  const failures: string[] = [];
  const notes = [...marks.notes];
  /** A bound measured by the client: a failure only when far past it on a quiet run, otherwise a note that says why not. */
  const clientCheck = (farPast: boolean, what: string) => {
    if (farPast && health.noisy === undefined) failures.push(what);
    else notes.push(`${what}: not failed, ${health.noisy ?? `within the client margin of ${secs(limits.clientMarginMs)}`}`);
  };
  const unacked: Record<string, Outcome> = {};
  let acked = 0;
  let ackedFound = 0;
  let duplicates = 0;
  let ackedWithoutOffset = 0;
  let longest: Attempt | undefined;
  const lost: string[] = [];
  for (const a of attempts) {
    const n = copies.get(a.id) ?? 0;
    if (n > 1) duplicates++;
    if (is2xx(a)) {
      acked++;
      if (n >= 1) ackedFound++;
      else lost.push(a.id);
      if (typeof a.offset !== 'number' || a.offset < 0) ackedWithoutOffset++;
    } else {
      const o = (unacked[kindOf(a)] ??= { total: 0, written: 0 });
      o.total++;
      if (n > 0) o.written++;
      if (a.error === 'reset' && a.reusedSocket) o.reused = (o.reused ?? 0) + 1;
    }
    // Only HTTP answers and client timeouts count towards the longest answer; a refused or reset
    // connection is not an answer (and is judged on its own below).
    if ((a.status !== undefined || a.error === 'timeout') && a.doneAt !== undefined) {
      if (!longest || a.doneAt - a.sentAt > longest.doneAt! - longest.sentAt) longest = a;
    }
  }
  const longestMs = longest ? longest.doneAt! - longest.sentAt : 0;
  const longestWhat = longest ? (longest.error ?? `${longest.status}${longest.code ? ` ${longest.code}` : ''}`) : '-';

  if (lost.length > 0) failures.push(`${lost.length} acked ids not in Kafka (e.g. ${lost.slice(0, 3).join(', ')})`);
  if (duplicates > 0) failures.push(`${duplicates} ids written more than once`);
  // 503 promises "not written, retry is safe"; only 504 (unknown) may turn out written.
  const written503 = unacked['503']?.written ?? 0;
  if (written503 > 0) failures.push(`${written503} requests answered 503 were written`);
  const bound = limits.deadlineMs + limits.slackMs;
  // The gateway's own figure is the invariant: it is what the gateway controls, whatever the machine does.
  if (health.gatewayLongestMs !== undefined && health.gatewayLongestMs > bound) {
    failures.push(`gateway log: a produce answered after ${secs(health.gatewayLongestMs)}, later than deadline + ${secs(limits.slackMs)}`);
  }
  if (longestMs > bound) {
    const late = attempts.filter((a) => a.doneAt !== undefined && (a.status !== undefined || a.error === 'timeout') && a.doneAt - a.sentAt > bound).length;
    const what = `${late} answers later than deadline + ${secs(limits.slackMs)} by the client's clock (longest ${secs(longestMs)}, ${longestWhat})`;
    clientCheck(longestMs > bound + limits.clientMarginMs, what);
  }
  if (marks.noResetReplica !== undefined) {
    const resets = attempts.filter((a) => a.replica === marks.noResetReplica && a.error === 'reset');
    if (resets.length > 0) {
      const reused = resets.filter((a) => a.reusedSocket).length;
      failures.push(`${resets.length} connection resets at SIGTERM (${reused} on a reused keep-alive socket)`);
    }
  }
  if (marks.noAckWindow) {
    const { from, until } = marks.noAckWindow;
    const bad = attempts.filter((a) => is2xx(a) && a.sentAt >= from && a.doneAt! < until).length;
    if (bad > 0) failures.push(`${bad} requests got a 2xx while below min.insync.replicas`);
  }

  let first2xxAfterBackMs: number | undefined;
  if (marks.backAt !== undefined) {
    const firstAfter = attempts
      .filter((a) => is2xx(a) && a.doneAt! >= marks.backAt!)
      .reduce<number | undefined>((min, a) => (min === undefined || a.doneAt! < min ? a.doneAt! : min), undefined);
    if (firstAfter === undefined) failures.push('no 2xx after the broker was back');
    else {
      first2xxAfterBackMs = firstAfter - marks.backAt;
      if (first2xxAfterBackMs > limits.recoveryMs) {
        const what = `first 2xx ${secs(first2xxAfterBackMs)} after the broker was back (limit ${secs(limits.recoveryMs)})`;
        clientCheck(first2xxAfterBackMs > limits.recoveryMs + limits.clientMarginMs, what);
      }
    }
  }

  const ackTimes = attempts.filter(is2xx).map((a) => a.doneAt!).sort((x, y) => x - y);
  let longest2xxGapMs = 0;
  const windowStart = marks.faultAt - 1000;
  let prev = ackTimes.filter((t) => t < windowStart).pop() ?? windowStart;
  for (const t of ackTimes.filter((t) => t >= windowStart)) {
    longest2xxGapMs = Math.max(longest2xxGapMs, t - prev);
    prev = t;
  }
  const unknownIds = [...copies.keys()].filter((k) => !k.startsWith('warm-')).length - new Set(attempts.map((a) => a.id).filter((id) => copies.has(id))).size;
  if (unknownIds > 0) notes.push(`${unknownIds} ids in the topic that the load never sent`);

  return {
    fault,
    requests: attempts.length,
    acked,
    ackedFound,
    duplicates,
    unacked,
    ackedWithoutOffset,
    longestMs,
    longestWhat,
    first2xxAfterBackMs,
    longest2xxGapMs,
    failures,
    notes,
  };
}
