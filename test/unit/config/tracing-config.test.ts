import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('tracing settings (OTEL_*)', () => {
  it('are off by default, with OTEL_SDK_DISABLED=true, and with OTEL_TRACES_EXPORTER=none', () => {
    expect(loadConfig({}).tracing).to.equal(undefined);
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' }).tracing).to.equal(undefined);
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }).tracing).to.equal(undefined);
    // Settings of the exporter alone do not turn it on.
    expect(loadConfig({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_SERVICE_NAME: 'x' }).tracing).to.equal(undefined);
  });

  it('turn on with OTEL_TRACES_EXPORTER=otlp (default endpoint) or with an endpoint alone', () => {
    const t = loadConfig({ OTEL_TRACES_EXPORTER: 'otlp' }).tracing!;
    expect(t).to.include({ tracesUrl: 'http://localhost:4318/v1/traces', protocol: 'http/protobuf', sampler: 'parentbased_always_on', samplerRatio: 1, serviceName: 'kgate' });
    expect(t.batch).to.deep.equal({ scheduledDelayMs: 5000, exportTimeoutMs: 30 * 1000, maxQueueSize: 2048, maxExportBatchSize: 512 });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318/' }).tracing!.tracesUrl).to.equal('https://collector:4318/v1/traces');
  });

  it('read sampler, service name, resource attributes (percent-decoded) and protocol', () => {
    const t = loadConfig({
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod, team=data%20platform',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      SOURCE_NAME: 'gw-eu',
    }).tracing!;
    expect(t).to.include({ sampler: 'parentbased_traceidratio', samplerRatio: 0.1, protocol: 'http/json', serviceName: 'gw-eu' });
    expect(t.resourceAttributes).to.deep.equal({ 'deployment.environment.name': 'prod', team: 'data platform' });
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs' }).tracing!.serviceName).to.equal('from-attrs');
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_RESOURCE_ATTRIBUTES: 'service.name=a', OTEL_SERVICE_NAME: 'b' }).tracing!.serviceName).to.equal('b');
  });

  it('read the resource attributes the Helm chart sets from the downward API (and those alone do not turn spans on)', () => {
    const chart = { OTEL_SERVICE_NAME: 'kgate', OTEL_RESOURCE_ATTRIBUTES: 'k8s.pod.name=kgate-7d9f-abcde,k8s.namespace.name=data,k8s.node.name=node-1' };
    expect(loadConfig(chart).tracing).to.equal(undefined);
    expect(loadConfig({ ...chart, OTEL_TRACES_EXPORTER: 'otlp' }).tracing!.resourceAttributes).to.deep.equal({ 'k8s.pod.name': 'kgate-7d9f-abcde', 'k8s.namespace.name': 'data', 'k8s.node.name': 'node-1' });
  });

    it('stop start-up naming the variable', () => {
    expect(problems({ OTEL_TRACES_EXPORTER: 'zipkin' })[0]).to.match(/^OTEL_TRACES_EXPORTER:/);
    expect(problems({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_TRACES_EXPORTER: 'otlp' })[0]).to.match(/^OTEL_EXPORTER_OTLP_PROTOCOL: grpc is not supported/);
    expect(problems({ OTEL_TRACES_SAMPLER: 'sometimes' })[0]).to.match(/^OTEL_TRACES_SAMPLER:/);
    expect(problems({ OTEL_TRACES_SAMPLER_ARG: '1.5' })[0]).to.match(/^OTEL_TRACES_SAMPLER_ARG:/);
    expect(problems({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })[0]).to.match(/^OTEL_EXPORTER_OTLP_ENDPOINT:/);
    expect(problems({ OTEL_SDK_DISABLED: 'maybe' })[0]).to.match(/^OTEL_SDK_DISABLED:/);
    expect(problems({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_RESOURCE_ATTRIBUTES: 'novalue' })[0]).to.match(/^OTEL_RESOURCE_ATTRIBUTES:/);
    expect(problems({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_RESOURCE_ATTRIBUTES: 'a=%zz' })[0]).to.match(/^OTEL_RESOURCE_ATTRIBUTES:/);
    expect(problems({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_BSP_MAX_QUEUE_SIZE: '10', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '20' })[0]).to.match(/^OTEL_BSP_MAX_EXPORT_BATCH_SIZE:/);
  });
});
