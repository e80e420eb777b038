import type { Counter } from 'prom-client';
import type { RegistryFormat } from '../serdes/codec.js';
import type { SerdesObserver } from '../serdes/schema-source.js';
import type { MetricSet } from './metrics.js';

/** The serdes room's hooks as counters; label children made once per combination (bounded: formats × results). */
export function serdesMetrics(set: MetricSet | undefined): { observer?: SerdesObserver; onFailure?: (format: RegistryFormat, code: string) => void } {
  if (!set) return {};
  const children = new Map<string, Counter.Internal>();
  const child = (key: string, make: () => Counter.Internal): Counter.Internal => {
    let c = children.get(key);
    if (!c) children.set(key, (c = make()));
    return c;
  };
  return {
    observer: {
      lookup: (format, result) => child(`l\0${format}\0${result}`, () => set.serdes.lookups.labels(format, result)).inc(),
      registryCall: (outcome) => child(`r\0${outcome}`, () => set.serdes.registryCalls.labels(outcome)).inc(),
    },
    // Codes come from the one table: a bounded set.
    onFailure: (format, code) => child(`f\0${format}\0${code}`, () => set.serdes.encodeFailures.labels(format, code)).inc(),
  };
}
