// The long runs of `npm run bench`: --soak S and --ndjson-bytes B (issue 15), one kgate each.
import autocannon from 'autocannon';
import { streamNdjson } from './ndjson-client.mjs';
import { cpuMicros, peakRssMiB, rssMiB } from './proc.mjs';

/** /produce for `totalSeconds`, RSS and CPU sampled every 10 s: does memory grow? */
export async function soak({ start, stop, singleBody, connections }, totalSeconds) {
  const server = await start({});
  const samples = [];
  const t0 = Date.now();
  let cpuPrev = cpuMicros(server.pid);
  let okPrev = 0;
  let okSoFar = 0;
  const instance = autocannon({
    url: `${server.url}/produce`, method: 'POST', headers: { 'content-type': 'application/json' }, body: singleBody, connections, duration: totalSeconds,
  });
  instance.on('response', (_c, status) => {
    if (status >= 200 && status < 300) okSoFar++;
  });
  const timer = setInterval(() => {
    const cpu = cpuMicros(server.pid);
    const ok = okSoFar;
    samples.push({ t: Math.round((Date.now() - t0) / 1000), rss: rssMiB(server.pid), hwm: peakRssMiB(server.pid), rps: Math.round((ok - okPrev) / 10), cpu_us: Math.round((cpu - cpuPrev) / Math.max(1, ok - okPrev)) });
    console.log(JSON.stringify(samples.at(-1)));
    cpuPrev = cpu;
    okPrev = ok;
  }, 10_000);
  const result = await new Promise((resolve) => instance.on('done', resolve));
  clearInterval(timer);
  await stop(server);
  console.log('\n| t s | RSS MiB | peak RSS MiB | req/s (10 s) | CPU µs/req (10 s) |\n|---|---|---|---|---|');
  for (const s of samples) console.log(`| ${s.t} | ${s.rss} | ${s.hwm} | ${s.rps} | ${s.cpu_us} |`);
  console.log(`\nsoak ${totalSeconds} s: ${result['2xx']} 2xx, ${result.non2xx} non-2xx, ${result.errors} errors, p99 ${result.latency.p99} ms`);
}

/** One NDJSON stream of `bytes` generated on the fly, RSS sampled every 0.5 s: is memory bounded? */
export async function ndjsonBig({ start, stop, topic, record }, bytes) {
  // A 1 GiB stream may take longer than Node's default request timeout (300 s) on a busy machine.
  const server = await start({ HTTP_REQUEST_TIMEOUT_MS: '0' });
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMiB(server.pid));
  }, 500);
  const cpu0 = cpuMicros(server.pid);
  const r = await streamNdjson(server.url, { topic, bytes, record });
  clearInterval(timer);
  const cpu = cpuMicros(server.pid) - cpu0;
  const hwm = peakRssMiB(server.pid);
  await stop(server);
  console.log(JSON.stringify({ scenario: 'ndjson-big', bytes_sent: r.bytesSent, lines: r.lines, ok: r.ok, failed: r.failed, first_error: r.firstError, seconds: Math.round(r.seconds), msgs_per_s: Math.round(r.ok / r.seconds), cpu_us_per_msg: Math.round(cpu / r.ok), peak_rss_mib: hwm, max_sampled_rss_mib: peak }));
}
