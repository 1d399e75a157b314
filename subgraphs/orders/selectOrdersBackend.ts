import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { UpstreamDeps } from '../../upstream/createUpstream';
import type { Upstream } from '../../upstream/Upstream';
import { createOrderSystems, type OrderSystems } from './backends/createOrderSystems';
import type { ServiceTokens } from '../serviceIdentity/createServiceTokens';
import type { OrdersConfig } from './config/ordersConfig';
import { ORDERS_MODES, type OrdersMode } from './config/ordersMode';
import { historiesOf } from './layers/historiesOf';
import { createRolloutFlags, type RolloutFlagsHandle } from './layers/rollout/flags/createRolloutFlags';
import { RolloutOrdersBackend } from './layers/rollout/RolloutOrdersBackend';
import { RoutingOrdersBackend } from './layers/routing/RoutingOrdersBackend';
import type { RolloutGuard } from './layers/guardrails/RolloutGuard';
import { createShadowMetrics } from './layers/shadow/ShadowMetrics';
import { ShadowOrdersBackend } from './layers/shadow/ShadowOrdersBackend';
import { shadowUpstreamOptions } from './layers/shadow/shadowUpstreamOptions';
import type { OrderHistorySource, OrdersBackend } from './port/OrdersBackend';

export interface SelectedBackend {
  backend: OrdersBackend;
  /** Every upstream client the read stack uses (the shadow's too), for `/status` and `close()`. */
  upstreams: Upstream[];
  /** The primary adapters, whose upstream clients the writes share (createOrderWrites). */
  systems: OrderSystems;
  /** The rollout flags: await `ready()` before serving, `close()` on stop. */
  flags: RolloutFlagsHandle;
}

/** What the rollout and shadow layers need besides configuration. */
export interface OrdersLayerDeps {
  /** The subgraph's metrics registry, where the shadow's counters go. @default a private registry */
  registry?: Registry;
  /** Shadow sampling; injected in tests. @default Math.random */
  random?: () => number;
  /** The subgraph's service identity, shared by the systems built here. @default each its own */
  service?: ServiceTokens;
  /** The rollout guardrails: halts the rollout, fed by reads and comparisons. @default none */
  guard?: RolloutGuard;
}

/**
 * Builds the orders read stack: the history of ORDERS_BACKEND with single orders routed by number,
 * wrapped in the rollout layer (a sticky share of users, or a staff override, served by another
 * mode) and, when configured, the shadow layer (sampled reads compared in the background).
 */
export function selectOrdersBackend(
  config: OrdersConfig,
  logger: Logger,
  upstreamDeps: UpstreamDeps = {},
  layerDeps: OrdersLayerDeps = {},
): SelectedBackend {
  const systems = createOrderSystems(config, logger, upstreamDeps, { service: layerDeps.service });
  const upstreams = [...systems.upstreams];
  const histories = historiesOf(systems, logger);
  const routing = new RoutingOrdersBackend({
    history: requireHistory(histories, config.mode),
    legacy: systems.legacy,
    vendor: systems.vendor,
    legacyNumberPattern: config.legacyNumberPattern,
  });
  const registry = layerDeps.registry ?? new Registry();
  const flags = createRolloutFlags(config, histories, logger, { registry });
  const rollout = new RolloutOrdersBackend({
    base: routing,
    baseMode: config.mode,
    rollout: config.rollout,
    histories,
    guard: layerDeps.guard,
    flags: flags.flags,
  });
  let backend: OrdersBackend = rollout;
  // From the environment, only ORDERS_SHADOW_BACKEND turns the shadow on; from flags, any mode this
  // deployment can serve besides ORDERS_BACKEND may be turned on at any time, so the layer is there.
  const shadowPossible =
    config.flags.kind === 'env'
      ? config.shadow !== null
      : ORDERS_MODES.some((mode) => mode !== config.mode && histories[mode] !== null);
  if (shadowPossible) {
    // Upstream clients of its own, never counted against a request's budget: see shadowUpstreamOptions.
    const shadowSystems = createOrderSystems(config, logger, upstreamDeps, {
      upstreamOptions: shadowUpstreamOptions,
      budgeted: false,
      service: layerDeps.service,
    });
    upstreams.push(...shadowSystems.upstreams);
    const shadowHistories = historiesOf(shadowSystems, logger);
    backend = new ShadowOrdersBackend({
      primary: rollout,
      // Decided with the rest of the rollout flags, once per read, by the rollout layer below.
      targetFor: (query, context) => {
        const shadow = flags.flags.decided(query.username, context)?.shadow;
        const history = shadow && shadowHistories[shadow.mode];
        return shadow && history ? { ...shadow, history } : null;
      },
      servedMode: (query, context) => rollout.modeFor(query.username, context),
      config: config.shadowLimits,
      metrics: createShadowMetrics(registry),
      logger,
      random: layerDeps.random,
      onCompared: layerDeps.guard && ((mismatch) => layerDeps.guard?.recordCompared(mismatch)),
    });
  }
  return { backend, upstreams, systems, flags };
}

function requireHistory(
  histories: Readonly<Record<OrdersMode, OrderHistorySource | null>>,
  mode: OrdersMode,
): OrderHistorySource {
  const history = histories[mode];
  // parseOrdersConfig already refuses a mode that reads the vendor without a vendor configuration.
  if (!history) throw new Error(`orders mode ${mode} needs the vendor configuration`);
  return history;
}
