/**
 * The house's layers (docs/architecture.md), checked by `npm run check:deps` (run in .ci/run).
 * Each arrow points down: http → access/pipeline/status/webhooks/… → kafka/schemas/tracing → config/errors/logging/shared.
 * The composition root (src/*.ts: main, gateway, shutdown) may import any room; no room imports it.
 * Type-only imports count: a type import is a dependency on the room that owns the type.
 */
const BOTTOM = '^src/(config|errors|logging|shared)/|^src/package-info[.]ts$';
const KAFKA = '^src/(kafka|schemas|tracing)/';
const MIDDLE = '^src/(access|pipeline|serdes|status|webhooks|idempotency|code-execution|metrics)/';
const HTTP = '^src/http/';
const ROOT = '^src/(main|gateway|shutdown)[.]ts$';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'A cycle ties rooms together: break it by moving the shared piece down.', from: {}, to: { circular: true } },
    {
      name: 'only-kafka-imports-rdkafka',
      severity: 'error',
      comment: 'node-rdkafka is imported only in src/kafka/.',
      from: { pathNot: '^src/kafka/' },
      to: { path: 'node_modules/node-rdkafka/' },
    },
    {
      name: 'only-kafka-imports-kafkajs',
      severity: 'error',
      comment: 'kafkajs reads the cluster id (src/kafka/cluster-id.ts) and nothing else: it stays in src/kafka/.',
      from: { pathNot: '^src/kafka/' },
      to: { path: 'node_modules/kafkajs/' },
    },
    {
      name: 'only-tracing-imports-opentelemetry',
      severity: 'error',
      comment: 'The OpenTelemetry SDK is imported only in src/tracing/ (loaded only when tracing is on); the rest calls its small interface.',
      from: { pathNot: '^src/tracing/' },
      to: { path: 'node_modules/@opentelemetry/' },
    },
    { name: 'bottom-imports-nothing-above', severity: 'error', from: { path: BOTTOM }, to: { path: [KAFKA, MIDDLE, HTTP, ROOT] } },
    { name: 'kafka-imports-nothing-above', severity: 'error', from: { path: KAFKA }, to: { path: [MIDDLE, HTTP, ROOT] } },
    { name: 'middle-imports-no-http', severity: 'error', from: { path: MIDDLE }, to: { path: [HTTP, ROOT] } },
    { name: 'http-imports-no-root', severity: 'error', from: { path: HTTP }, to: { path: ROOT } },
    {
      name: 'http-uses-kafka-only-through-types',
      severity: 'error',
      comment: 'The HTTP layer is handed its Kafka pieces (producer, consumer factory) by the composition root; it may name their types.',
      from: { path: HTTP },
      to: { path: '^src/kafka/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(test|bench|examples|dist)/' },
  },
};
