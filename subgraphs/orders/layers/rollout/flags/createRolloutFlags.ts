import { randomUUID } from 'node:crypto';
import type * as flagdProviderModule from '@openfeature/flagd-provider';
import {
  NOOP_PROVIDER,
  OpenFeature,
  ProviderEvents,
  type Logger as FeatureLogger,
  type Provider,
} from '@openfeature/server-sdk';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ConfigError } from '../../../../../platform/config/ConfigError';
import type { OrdersConfig } from '../../../config/ordersConfig';
import type { OrdersMode } from '../../../config/ordersMode';
import type { OrderHistorySource } from '../../../port/OrdersBackend';
import { FallbackLog } from './FallbackLog';
import { envFlagsProvider, envFlagValues } from './envFlagsProvider';
import { createRolloutFlagMetrics } from './RolloutFlagMetrics';
import { SHADOW_OFF } from './rolloutFlagKeys';
import { RolloutFlags } from './RolloutFlags';
import type { RolloutFlagsOptions } from './RolloutFlagsOptions';
import { DEFAULT_FLAGS_TIMEOUT_MS } from '../../../config/flagsSource';

export interface RolloutFlagsHandle {
  flags: RolloutFlags;
  /**
   * Resolves once the provider has its first definitions. A flag file that cannot be read or parsed at
   * start-up stops it (ConfigError naming ORDERS_FLAGS_FILE): there is no last good value to keep yet.
   * A flagd daemon that is not reachable does not: its flags fall back until it is (counted).
   */
  ready(): Promise<void>;
  /** Closes the provider (the file watch, the daemon stream). */
  close(): Promise<void>;
}

export interface RolloutFlagsDeps {
  registry: Registry;
  /** Replaces the configured provider (tests: a provider that fails on demand). */
  provider?: Provider;
  /** The fallback log's clock. @default Date.now */
  now?: () => number;
  /** A read's deadline for its flags; injected in tests. @default a timer */
  expire?: RolloutFlagsOptions['expire'];
}

/** The most start-up waits for a flagd daemon: unreachable, it only means fallbacks until it answers. */
const FLAGD_READY_WAIT_MS = 5000;

/**
 * The rollout flags on a private OpenFeature domain (one per instance: two instances in one process,
 * as in tests, never share a provider or its state), with the provider ORDERS_FLAGS_PROVIDER names.
 */
export function createRolloutFlags(
  config: Pick<OrdersConfig, 'mode' | 'rollout' | 'shadow' | 'flags'> & { flagsTimeoutMs?: number },
  histories: Readonly<Record<OrdersMode, OrderHistorySource | null>>,
  logger: Logger,
  deps: RolloutFlagsDeps,
): RolloutFlagsHandle {
  // Every line carries an `event` (rollout_flags_*, rollout_flag_fallback): no child binding needed.
  const log = logger;
  const servable = (mode: OrdersMode) => histories[mode] !== null;
  const env = envFlagValues(config.mode, config.rollout, config.shadow);
  // Configuration already refuses such a mix; this keeps a fallback from ever naming an unservable mode.
  const defaults = {
    ...env,
    rolloutMode: servable(env.rolloutMode) ? env.rolloutMode : config.mode,
    shadowMode: env.shadowMode === SHADOW_OFF || servable(env.shadowMode) ? env.shadowMode : SHADOW_OFF,
  };
  const provider = deps.provider ?? providerFor(config, defaults, log);
  const domain = `switchyard-orders-rollout-${randomUUID()}`;
  const initialised = OpenFeature.setProviderAndWait(domain, provider);
  initialised.catch(() => undefined);
  const client = OpenFeature.getClient(domain);
  const flags = new RolloutFlags({
    client,
    baseMode: config.mode,
    servable,
    defaults,
    metrics: createRolloutFlagMetrics(deps.registry),
    log: new FallbackLog(log, deps.now),
    timeoutMs: config.flagsTimeoutMs ?? DEFAULT_FLAGS_TIMEOUT_MS,
    expire: deps.expire,
    constant: config.flags.kind === 'env' && deps.provider === undefined,
  });
  // One line per change of the definitions (a file edit, a daemon push), never per request.
  client.addHandler(ProviderEvents.ConfigurationChanged, (details) => {
    log.info({ event: 'rollout_flags_changed', flags: details?.flagsChanged }, 'rollout flags changed');
    void flags.refreshShare();
  });
  return {
    flags,
    ready: async () => {
      try {
        if (config.flags.kind === 'flagd') {
          let timer: NodeJS.Timeout | undefined;
          const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, FLAGD_READY_WAIT_MS)));
          await Promise.race([initialised, waited]).finally(() => clearTimeout(timer));
        } else await initialised;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (config.flags.kind === 'file') {
          throw new ConfigError(
            `Invalid configuration:\n  ORDERS_FLAGS_FILE=${JSON.stringify(config.flags.path)}: ` +
              `cannot be read as flagd flag definitions (${reason})`,
          );
        }
        log.warn({ event: 'rollout_flags_not_ready', reason }, 'rollout flags provider not ready');
      }
      await flags.refreshShare();
    },
    close: async () => {
      await OpenFeature.setProviderAndWait(domain, NOOP_PROVIDER);
      await provider.onClose?.();
    },
  };
}

function providerFor(
  config: Pick<OrdersConfig, 'mode' | 'flags'>,
  defaults: ReturnType<typeof envFlagValues>,
  log: Logger,
): Provider {
  switch (config.flags.kind) {
    case 'env':
      return envFlagsProvider(config.mode, defaults);
    case 'file':
      // In process, from the file; the provider re-reads it when its stat changes (fs.watchFile,
      // polled every ~5 s), an in-place edit and an atomic rename (a ConfigMap swap) alike.
      return new (flagdProvider())(
        { resolverType: 'in-process', offlineFlagSourcePath: config.flags.path },
        featureLogger(log),
      );
    case 'flagd':
      // Everything else comes from the FLAGD_* variables, which the provider reads itself.
      return new (flagdProvider())({}, featureLogger(log));
  }
}

/**
 * The flagd provider's module, required only when a flag file or daemon is configured: it brings
 * gRPC (@grpc/grpc-js) and flagd's evaluator, ~2 MiB of resident memory and ~3 MiB of heap in every
 * process (each co-located worker included) that reads its flags from the environment, the default
 * (bench/PROFILE.md, "Issue 25: worker memory").
 */
function flagdProvider(): typeof flagdProviderModule.FlagdProvider {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('@openfeature/flagd-provider') as typeof flagdProviderModule).FlagdProvider;
}

/**
 * The provider's own log lines (a rejected file edit: "Error reading file", a lost daemon stream),
 * once per event, never per evaluation; its errors are warnings here because the last good
 * definitions keep serving.
 */
function featureLogger(log: Logger): FeatureLogger {
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  return {
    error: (...args) => log.warn({ event: 'rollout_flags_provider' }, text(args)),
    warn: (...args) => log.warn({ event: 'rollout_flags_provider' }, text(args)),
    info: (...args) => log.info({ event: 'rollout_flags_provider' }, text(args)),
    debug: (...args) => log.debug({ event: 'rollout_flags_provider' }, text(args)),
  };
}
