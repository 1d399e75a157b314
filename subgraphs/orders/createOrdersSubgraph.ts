import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';
import { readSubgraphSdl } from '../../schema/readSubgraphSdl';
import { createMetricsRegistry } from '../../platform/createMetricsRegistry';
import { IDEMPOTENCY_KEY_HEADER, ORDERS_MODE_OVERRIDE_HEADER } from '../../platform/http/forwardedHeaders';
import { createTracing } from '../../platform/tracing/createTracing';
import { createUpstreamMetrics } from '../../upstream/UpstreamMetrics';
import { createRedisClient } from '../../platform/redis/createRedisClient';
import { RedisStaleStore } from '../../upstream/RedisStaleStore';
import { createSubgraphServer, type SubgraphServer } from '../createSubgraphServer';
import { requestBasics } from '../requestBasics';
import { createOrdersLoaders } from './createOrdersLoaders';
import type { OrdersConfig } from './config/ordersConfig';
import type { OrdersContext } from './OrdersContext';
import { createServiceTokens } from '../serviceIdentity/createServiceTokens';
import { createMutationInfra } from './mutations/createMutationInfra';
import { markReplayed } from '../../platform/plugins/markReplayed';
import { reportPartialFailures } from './plugins/reportPartialFailures';
import { ordersResolvers } from './resolvers';
import { selectOrdersBackend } from './selectOrdersBackend';
import { createOrderWrites } from './createOrderWrites';
import { createRefundEligibility } from './eligibility/createRefundEligibility';
import { createRolloutGuard } from './layers/guardrails/createRolloutGuard';
import type { RolloutFlags } from './layers/rollout/flags/RolloutFlags';

export interface OrdersSubgraphDeps {
  logger: Logger;
  /** Receives the subgraph's spans instead of the configured OTLP endpoint (tests). */
  spanProcessor?: SpanProcessor;
}

/** Builds the orders subgraph (not listening). `stop()` also closes its upstream pools. */
export async function createOrdersSubgraph(
  config: OrdersConfig,
  deps: OrdersSubgraphDeps,
): Promise<SubgraphServer> {
  const metrics = createMetricsRegistry('orders-subgraph');
  const tracing = createTracing(config.tracing, { spanProcessor: deps.spanProcessor, logger: deps.logger });
  // With Redis, stale-if-error answers are shared by every instance (docs/resilience.md).
  const staleRedis = config.mutations.redisUrl
    ? createRedisClient(config.mutations.redisUrl, 'stale', deps.logger, { maxRetriesPerRequest: 1 })
    : null;
  const upstreamMetrics = createUpstreamMetrics(metrics);
  // One service identity for the whole subgraph: fulfilment, and the LMS lookups of vendor reads.
  const service = createServiceTokens(config.serviceIdentity, {
    metrics: upstreamMetrics,
    logger: deps.logger,
    tracer: tracing.tracer,
  });
  // Set once the read stack (which owns the flags) is built, below; until then no rollout is judged.
  let flags: RolloutFlags | null = null;
  // Started before the first request: an instance joining a halted deployment starts halted.
  const guard = createRolloutGuard(config.guardrails, {
    logger: deps.logger,
    registry: metrics,
    redisUrl: config.mutations.redisUrl,
    // The share in force now, from the flags (a file edit changes it without a restart).
    rollout: () => flags?.activeRollout() ?? null,
  });
  await guard.start();
  const reads = selectOrdersBackend(
    config,
    deps.logger,
    {
      metrics: upstreamMetrics,
      logger: deps.logger,
      tracer: tracing.tracer,
      ...(staleRedis ? { staleStore: new RedisStaleStore(staleRedis) } : {}),
    },
    { registry: metrics, service, guard },
  );
  flags = reads.flags.flags;
  // The flag file's first definitions before serving: a file that cannot be read stops start-up.
  await reads.flags.ready().catch(async (error: unknown) => {
    await reads.flags.close();
    await Promise.all(reads.upstreams.map((u) => u.close()));
    staleRedis?.disconnect();
    throw error;
  });
  // On the reads' own upstream clients: writes to a system share its pool, bulkhead and breaker.
  const writes = createOrderWrites(config, { logger: deps.logger, systems: reads.systems });
  const refundRule = createRefundEligibility(config.refunds, service, {
    metrics: upstreamMetrics,
    logger: deps.logger,
    tracer: tracing.tracer,
  });
  const upstreams = [...reads.upstreams, ...service.upstreams, ...refundRule.upstreams];
  const backend = reads.backend;
  const infra = createMutationInfra(
    config.mutations,
    writes.writesFor,
    deps.logger,
    service,
    refundRule.eligibility,
    config.refunds.autoApprove,
  );
  const server = await createSubgraphServer<OrdersContext>({
    name: 'orders',
    sdl: readSubgraphSdl('orders.graphql'),
    resolvers: ordersResolvers,
    logger: deps.logger,
    metrics,
    upstreams,
    tracer: tracing.tracer,
    security: config.security,
    status: () => ({ rollout: guard.status() }),
    plugins: [reportPartialFailures<OrdersContext>(deps.logger), markReplayed<OrdersContext>()],
    context: async (headers) => {
      const { identity, requestId } = await requestBasics(headers, config.jwt);
      // No identity, no loaders: an anonymous request cannot reach a backend even by mistake.
      const loaders = identity
        ? createOrdersLoaders(
            backend,
            // Honoured for staff only, by the rollout layer; a doubled header arrives as "a,b" and is refused.
            { identity, requestId, modeOverride: headers[ORDERS_MODE_OVERRIDE_HEADER]?.toString() },
            config,
          )
        : null;
      const key = headers[IDEMPOTENCY_KEY_HEADER];
      return {
        identity,
        requestId,
        loaders,
        partialFailures: [],
        mutations: infra.mutations,
        idempotencyKeyHeader: Array.isArray(key) ? key[0] : key,
        replayed: false,
      };
    },
  });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await guard.stop();
      await reads.flags.close();
      await Promise.all(upstreams.map((u) => u.close()));
      await infra.close();
      await staleRedis?.quit().catch(() => staleRedis.disconnect());
      await tracing.shutdown();
    },
  };
}
