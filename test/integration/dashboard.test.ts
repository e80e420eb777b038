import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningGateway } from '../../src/gateway.js';
import { ROOT, uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { exportedNames, promtool } from '../helpers/prometheus.js';

// Grafana itself cannot run here (no Debian package, no download), so the dashboard is checked at the
// level that breaks in practice: its JSON shape, that each query parses as PromQL (promtool), and that
// each metric it or an alert rule names is one the gateway really exports.

const DASHBOARD = path.join(ROOT, 'docs/grafana/kgate-dashboard.json');
const ALERTS = path.join(ROOT, 'docs/prometheus/alerts.yml');
const PROMETHEUS = path.join(ROOT, 'docs/prometheus/prometheus.yml');

interface Target {
  expr: string;
  refId: string;
  datasource?: { uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string }> };
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
const dashboardExprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

/** The `expr:` of every rule, single-line or a `|` block (the only two forms alerts.yml uses). */
function ruleExprs(yaml: string): string[] {
  const lines = yaml.split('\n');
  const exprs: string[] = [];
  lines.forEach((line, i) => {
    const m = /^(\s*)expr:\s*(.*)$/.exec(line);
    if (!m) return;
    if (m[2] !== '|') return void exprs.push(m[2]!);
    const block: string[] = [];
    for (let j = i + 1; j < lines.length && (lines[j]!.trim() === '' || lines[j]!.search(/\S/) > m[1]!.length); j++) block.push(lines[j]!.trim());
    exprs.push(block.join(' ').trim());
  });
  return exprs;
}
const alertExprs = ruleExprs(readFileSync(ALERTS, 'utf8'));

/** Grafana's variables replaced by what they become at query time. */
const asPromql = (expr: string) => expr.replaceAll('$__rate_interval', '1m').replaceAll('$instance', '.*');
/** Metric names a query reads: our own and Node's process metrics; `up` is Prometheus's. */
const metricNames = (expr: string) => [...expr.matchAll(/\b(?:kgate|nodejs|process)_[a-z0-9_]+\b/g)].map((m) => m[0]);

describe('Grafana dashboard, alert rules and Prometheus config', () => {
  let gw: RunningGateway;
  let exported: Set<string>;
  before(async () => {
    gw = await startTestGateway({ KAFKA_STATISTICS_INTERVAL_MS: '200' });
    await postJson(`${gw.url}/produce`, { topic: uniqueTopic('dash'), message: 1 });
    await new Promise((r) => setTimeout(r, 500));
    exported = exportedNames(await (await fetch(`${gw.url}/metrics`)).text());
  });
  after(() => gw.shutdown());

  it('every metric the dashboard and the alert rules query is one the gateway exports', () => {
    expect(dashboardExprs.length).to.be.above(15);
    expect(alertExprs.length).to.be.at.least(5);
    const missing = new Set<string>();
    for (const expr of [...dashboardExprs, ...alertExprs]) {
      const names = metricNames(expr);
      if (names.length === 0 && !/\bup\{/.test(expr)) missing.add(`(no metric in: ${expr})`);
      for (const name of names) if (!exported.has(name)) missing.add(name);
    }
    expect([...missing]).to.deep.equal([]);
  });

  it('the dashboard has the panels the issue asks for', () => {
    const all = dashboardExprs.join('\n');
    for (const name of [
      'kgate_http_requests_total',
      'kgate_messages_produced_total',
      'kgate_produce_ack_duration_seconds_bucket',
      'kgate_messages_failed_total',
      'kgate_kafka_queue_messages',
      'kgate_kafka_broker_rtt_seconds',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(all, name).to.contain(name);
    }
    for (const q of ['0.5', '0.95', '0.99']) expect(all).to.contain(`histogram_quantile(${q}, sum by (le) (rate(kgate_produce_ack_duration_seconds_bucket`);
  });

  it('the dashboard JSON has the shape Grafana loads: ids, grid, data source variable, queries', () => {
    expect(dashboard).to.include({ uid: 'kgate-overview' });
    expect(dashboard.title).to.be.a('string').that.is.not.empty;
    expect(dashboard.schemaVersion).to.be.a('number').within(30, 41);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size, 'unique panel ids').to.equal(ids.length);
    const variables = new Set(dashboard.templating.list.map((v) => v.name));
    expect(variables).to.include.members(['datasource', 'instance']);
    for (const p of dashboard.panels) {
      expect(['row', 'timeseries', 'stat'], p.title).to.include(p.type);
      const { x, y, w, h } = p.gridPos;
      expect(x >= 0 && w > 0 && x + w <= 24 && y >= 0 && h > 0, `${p.title} gridPos`).to.equal(true);
      if (p.type === 'row') continue;
      expect(p.datasource, p.title).to.deep.equal({ type: 'prometheus', uid: '${datasource}' });
      expect(p.targets, p.title).to.be.an('array').that.is.not.empty;
      const refIds = p.targets!.map((t) => t.refId);
      expect(new Set(refIds).size, `${p.title} refIds`).to.equal(refIds.length);
      for (const t of p.targets!) {
        for (const [, v] of t.expr.matchAll(/\$(?!__)(\w+)/g)) expect(variables, `${p.title}: $${v}`).to.include(v);
      }
    }
    // Panels do not overlap.
    const cells = new Set<string>();
    for (const { gridPos: g, title } of dashboard.panels) {
      for (let cx = g.x; cx < g.x + g.w; cx++) {
        for (let cy = g.y; cy < g.y + g.h; cy++) {
          expect(cells.has(`${cx},${cy}`), `${title} overlaps`).to.equal(false);
          cells.add(`${cx},${cy}`);
        }
      }
    }
  });

  it('every dashboard query is valid PromQL (promtool parses each as a recording rule)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kgate-dash-'));
    try {
      const rules = dashboardExprs.map((e, i) => `      - record: kgate:dashboard_query_${i}\n        expr: ${JSON.stringify(asPromql(e))}`);
      const file = path.join(dir, 'dashboard-rules.yml');
      writeFileSync(file, `groups:\n  - name: dashboard\n    rules:\n${rules.join('\n')}\n`);
      const { code, output } = await promtool(['check', 'rules', file]);
      expect(code, output).to.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`promtool check rules` accepts the alert rules and `promtool check config` the Prometheus config', async () => {
    const rules = await promtool(['check', 'rules', ALERTS]);
    expect(rules.code, rules.output).to.equal(0);
    expect(rules.output).to.match(/SUCCESS: \d+ rules found/);
    const config = await promtool(['check', 'config', '--syntax-only', PROMETHEUS]);
    expect(config.code, config.output).to.equal(0);
  });

  it('docker-compose.yml mounts files that exist, and Grafana provisioning names the data source the dashboard expects', () => {
    const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    const mounts = [...compose.matchAll(/^\s*- \.\/([^:]+):/gm)].map((m) => m[1]!);
    expect(mounts).to.include.members(['docs/prometheus/prometheus.yml', 'docs/grafana/kgate-dashboard.json', 'docs/grafana/provisioning']);
    for (const m of mounts) expect(existsSync(path.join(ROOT, m)), m).to.equal(true);
    const datasource = readFileSync(path.join(ROOT, 'docs/grafana/provisioning/datasources/prometheus.yml'), 'utf8');
    expect(datasource).to.match(/type: prometheus/).and.match(/url: http:\/\/prometheus:9090/);
    expect(readFileSync(PROMETHEUS, 'utf8')).to.contain("targets: ['gateway:8001']");
  });
});
