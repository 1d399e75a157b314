import Module from 'node:module';
import { dirname } from 'node:path';
import type { Env } from '../platform/config/parseEnv';

// @apollo/gateway (2.14) sends its own usage telemetry to Apollo ("data collection": an OpenTelemetry
// meter provider that probes the AWS, GCP, Azure and Alibaba metadata endpoints at start and exports to
// usage-reporting.api.apollographql.com every hour) unless APOLLO_TELEMETRY_DISABLED is `true` or `1`.
// It is Apollo's, not one of Switchyard's metrics: ours are on /metrics and in our traces. Its module,
// dist/utilities/opentelemetry.js, requires the metrics SDK, the OTLP metrics exporter and the four
// cloud detectors when @apollo/gateway loads, used or not: ~660 modules, ~27 MiB of resident memory
// and ~8 MiB of heap in every gateway process, each co-located worker included (bench/PROFILE.md,
// "Issue 25: worker memory").

/** What only Apollo's data collection uses; the tracing API and semantic conventions load as before. */
const DATA_COLLECTION_PACKAGES = [
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/exporter-metrics-otlp-http',
  '@opentelemetry/resource-detector-alibaba-cloud',
  '@opentelemetry/resource-detector-aws',
  '@opentelemetry/resource-detector-azure',
  '@opentelemetry/resource-detector-gcp',
];

/**
 * Apollo's data collection is off unless the operator set APOLLO_TELEMETRY_DISABLED (to `false` to
 * keep it): a gateway in front of learners' orders does not report to a third party by default, and
 * an offline host would only see its exports fail. Apollo reads the variable itself, in ApolloGateway's
 * constructor, so the entry points (gateway/main.ts, colocated/main.ts) call this with process.env
 * before they build a gateway.
 */
export function apolloTelemetryOffByDefault(env: NodeJS.ProcessEnv): void {
  env.APOLLO_TELEMETRY_DISABLED = apolloTelemetrySetting(env);
}

/** APOLLO_TELEMETRY_DISABLED as a process runs with it: the operator's value, else `true`. */
function apolloTelemetrySetting(source: Env): string {
  return source.APOLLO_TELEMETRY_DISABLED ?? 'true';
}

/**
 * Until first used, each data-collection package is a stand-in in the module cache, so requiring
 * @apollo/gateway does not load it; the first property read (only when the data collection runs)
 * loads the real module. Must run before @apollo/gateway is first required; a package already loaded
 * is left as it is.
 */
export function deferApolloDataCollectionModules(): void {
  const from = { paths: [dirname(require.resolve('@apollo/gateway/package.json'))] };
  for (const name of DATA_COLLECTION_PACKAGES) {
    const path = resolvedOrNull(name, from);
    // A version of @apollo/gateway without the package: nothing to defer, and nothing to stop start-up.
    if (path === null || require.cache[path]) continue;
    const standIn = new Module(path);
    standIn.filename = path;
    standIn.loaded = true;
    standIn.exports = loadedOnFirstUse(path);
    require.cache[path] = standIn;
  }
}

// At load: createGateway.ts imports this module before @apollo/gateway.
deferApolloDataCollectionModules();

function resolvedOrNull(name: string, from: { paths: string[] }): string | null {
  try {
    return require.resolve(name, from);
  } catch {
    return null;
  }
}

function loadedOnFirstUse(path: string): object {
  let real: Record<PropertyKey, unknown> | undefined;
  const load = (): Record<PropertyKey, unknown> => {
    if (real === undefined) {
      delete require.cache[path];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      real = require(path) as Record<PropertyKey, unknown>;
    }
    return real;
  };
  return new Proxy(
    {},
    {
      get: (_target, key) => load()[key],
      has: (_target, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Object.getOwnPropertyDescriptor(load(), key);
        // A proxy may not report a property non-configurable that its (empty) target lacks.
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
}
