// Server-side cost from /proc: CPU time (user+system, every thread, librdkafka's included) and peak RSS.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux x86-64

/** The fields of a /proc stat file after the command name, which is in parentheses and may contain spaces. */
function statFields(file) {
  const stat = readFileSync(file, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Kernel-side counters of a process so far: system CPU (µs), minor page faults, and context switches of all threads. */
export function kernelCounters(pid) {
  const fields = statFields(`/proc/${pid}/stat`);
  let voluntary = 0;
  let involuntary = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      voluntary += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      involuntary += Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      // thread ended
    }
  }
  return { sysUs: (Number(fields[12]) * 1e6) / TICKS_PER_SECOND, minorFaults: Number(fields[7]), voluntary, involuntary };
}

/** utime+stime of a process so far, in microseconds. */
export function cpuMicros(pid) {
  const fields = statFields(`/proc/${pid}/stat`);
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
}

function statusKiB(pid, field) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
  return line ? Number(line.split(/\s+/)[1]) : NaN;
}

/** Peak resident set (VmHWM) in MiB. */
export const peakRssMiB = (pid) => Math.round(statusKiB(pid, 'VmHWM') / 1024);
/** Current resident set (VmRSS) in MiB. */
export const rssMiB = (pid) => Math.round(statusKiB(pid, 'VmRSS') / 1024);

/** CPU microseconds so far per thread name (main thread, libuv pool, librdkafka's rdk:* threads, V8 workers). */
export function cpuMicrosByThread(pid) {
  const out = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[0-9]+$/, '').replace(/:.*$/, '');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[name] = (out[name] ?? 0) + ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
    } catch {
      // thread ended
    }
  }
  return out;
}
