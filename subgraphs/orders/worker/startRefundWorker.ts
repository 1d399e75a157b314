import type { Server } from 'node:http';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';
import { createMetricsRegistry } from '../../../platform/createMetricsRegistry';
import { createRedisClient } from '../../../platform/redis/createRedisClient';
import { createHttpServer } from '../../../platform/http/createHttpServer';
import { healthRoutes } from '../../../platform/http/healthRoutes';
import { close } from '../../../platform/http/listen';
import { statusRoutes } from '../../../platform/http/statusRoutes';
import { createTracing } from '../../../platform/tracing/createTracing';
import type { TracingConfig } from '../../../platform/tracing/tracingConfig';
import { createUpstreamMetrics } from '../../../upstream/UpstreamMetrics';
import { createServiceTokens } from '../../serviceIdentity/createServiceTokens';
import { createMutationInfra } from '../mutations/createMutationInfra';
import type { OrdersConfig } from '../config/ordersConfig';
import { createOrderWrites } from '../createOrderWrites';
import { createRefundEligibility } from '../eligibility/createRefundEligibility';
import { createRefundWorker, failureCode } from './createRefundWorker';
import { REFUND_QUEUE } from '../queue/RefundJob';
import { RefundQueue } from '../queue/RefundQueue';
import { createRefundWorkerMetrics } from './RefundWorkerMetrics';

/** running: fetching jobs; paused: paused locally; closing: SIGTERM, draining; stopped: its loop ended. */
export type RefundWorkerState = 'running' | 'paused' | 'closing' | 'stopped';

export interface RefundWorkerError {
  /** `delivery`: a job's attempt failed; `worker`: the worker itself (mostly Redis connection errors). */
  source: 'delivery' | 'worker';
  code: string;
  message: string;
  at: string;
  jobId?: string;
}

export interface RunningRefundWorker {
  /**
   * `/healthz`, `/readyz`, `/metrics`, `/status`; not listening: main.ts picks the port, and the
   * in-process worker of `createLocalStack` serves none. `stop()` closes it once the worker drained.
   */
  httpServer: Server;
  stop(): Promise<void>;
}

/**
 * A deferred-refund worker with its own backends, Redis connections and HTTP surface (the same
 * configuration as the orders subgraph). Used by the worker process (main.ts) and, in-process and
 * without listening, by `createLocalStack` when a test asks for it.
 */
export interface RefundWorkerDeps {
  /**
   * The worker's own tracing settings (`service.name` switchyard-refund-worker, from
   * parseTracingConfig). @default the orders subgraph's, from `config`
   */
  tracing?: TracingConfig;
  /** Receives the worker's spans instead of the OTLP endpoint (tests). */
  spanProcessor?: SpanProcessor;
}

export function startRefundWorker(
  config: OrdersConfig,
  redisUrl: string,
  logger: Logger,
  deps: RefundWorkerDeps = {},
): RunningRefundWorker {
  const metrics = createMetricsRegistry('refund-worker');
  const upstreamMetrics = createUpstreamMetrics(metrics);
  const tracing = createTracing(deps.tracing ?? config.tracing, {
    spanProcessor: deps.spanProcessor,
    logger,
  });
  const upstreamDeps = { metrics: upstreamMetrics, logger, tracer: tracing.tracer };
  // The worker's own identity towards the upstreams: a service user's JWT from the LMS OAuth2
  // provider, never one it signs itself. It acts for each job's verified user (OrderMutations).
  const service = createServiceTokens(config.serviceIdentity, upstreamDeps);
  // Writes only: the worker serves no reads, so it builds no read stack (layers, shadow).
  const writes = createOrderWrites(config, { logger, upstreamDeps, service });
  // The refund rule again at delivery, on the worker's own clients of discovery and the LMS.
  const refundRule = createRefundEligibility(config.refunds, service, upstreamDeps);
  const upstreams = [...writes.upstreams, ...service.upstreams, ...refundRule.upstreams];
  const infra = createMutationInfra(
    config.mutations,
    writes.writesFor,
    logger,
    service,
    refundRule.eligibility,
    config.refunds.autoApprove,
  );
  // BullMQ's worker wants maxRetriesPerRequest null, and an offline queue so its blocking fetch waits
  // out a reconnect instead of failing; REDIS_URL may name Sentinels or a Cluster (createRedisClient).
  const connection = createRedisClient(redisUrl, 'refund-worker', logger, {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
  });
  const prefix = config.mutations.queuePrefix;
  // Read-only use: the queue's counts, for /status and the scrape, on the worker's own connection.
  const queue = new RefundQueue({ connection, prefix });
  const workerMetrics = createRefundWorkerMetrics(metrics, () => queue.counts());
  const worker = createRefundWorker({
    connection,
    prefix,
    logger,
    metrics: workerMetrics,
    maxAgeMs: config.mutations.refundMaxAgeMs,
    baseDelayMs: config.mutations.refundRetryBaseMs,
    maxDelayMs: config.mutations.refundRetryMaxMs,
    lockDurationMs: config.mutations.workerLockMs,
    tracer: tracing.tracer,
    deliver: (job) => infra.mutations.deliverDeferred(job),
  });

  // BullMQ says 'ready' once both of its connections (commands and the blocking fetch) are up.
  let consuming = false;
  let closing = false;
  let lastError: RefundWorkerError | null = null;
  let redisDown = false;
  worker.once('ready', () => (consuming = true));
  worker.on('error', (error) => {
    lastError = { source: 'worker', code: failureCode(error), message: error.message, at: now() };
    const outage = connection.status !== 'ready';
    // Once per outage: ioredis retries every couple of seconds, each retry an error.
    if (outage && redisDown) return;
    redisDown ||= outage;
    logger.warn(
      { redis: outage ? 'refund-worker' : undefined, code: lastError.code, err: error.message },
      outage ? 'redis unavailable' : 'refund worker error',
    );
  });
  connection.on('ready', () => {
    if (redisDown) logger.info({ redis: 'refund-worker' }, 'redis available again');
    redisDown = false;
  });
  worker.on('failed', (job, error) => {
    lastError = {
      source: 'delivery',
      code: failureCode(error),
      message: error.message.slice(0, 500),
      at: now(),
      ...(job?.id ? { jobId: job.id } : {}),
    };
  });

  const state = (): RefundWorkerState =>
    closing ? 'closing' : worker.isPaused() ? 'paused' : worker.isRunning() ? 'running' : 'stopped';
  // Unlike the subgraphs, which stay ready with a sick upstream because they still serve everything
  // else, a worker that cannot reach Redis does no work at all: it can neither fetch a job nor record
  // one's outcome. "Not ready" is then the honest answer, and it is what an operator must see. Nothing
  // routes traffic by it (the worker has no Service), and liveness stays 200, so Kubernetes does not
  // restart a worker that is only waiting for Redis; ioredis reconnects by itself.
  const isReady = () => consuming && connection.status === 'ready' && state() === 'running';
  const workerSection = () => ({
    state: state(),
    ready: isReady(),
    redis: connection.status,
    concurrency: worker.concurrency,
    lastError,
  });

  const httpServer = createHttpServer(
    {
      ...healthRoutes({ isReady, details: () => ({ worker: state(), redis: connection.status }), metrics }),
      ...statusRoutes('refund-worker', upstreams, async () => {
        const queueSection = { name: REFUND_QUEUE, prefix };
        try {
          return {
            // Not doing its work (no Redis, its fetch loop ended) and not because it is stopping.
            degraded: !closing && !isReady(),
            worker: workerSection(),
            queue: { ...queueSection, counts: await queue.counts() },
          };
        } catch (error) {
          return {
            degraded: true,
            worker: workerSection(),
            queue: { ...queueSection, counts: null, error: (error as Error).message },
          };
        }
      }),
    },
    logger,
  );

  logger.info({ queuePrefix: prefix }, 'refund worker started');
  return {
    httpServer,
    // Not ready at once, then drain: the active deliveries finish (each bounded by its upstream
    // deadlines) and their outcomes are recorded, while /healthz and /status still answer; the HTTP
    // server closes last. Without Redis nothing can be recorded, and BullMQ's graceful close would wait
    // for it forever: then the worker closes at once (or stops waiting when Redis goes mid-drain). A job
    // left active is re-run by a worker once its lock lapses, and reconciles through its idempotency
    // record instead of refunding twice.
    stop: async () => {
      closing = true;
      let onLost: () => void = () => undefined;
      const lost = new Promise<void>((resolve) => connection.once('close', (onLost = resolve)));
      const drained = worker.close(connection.status !== 'ready');
      drained.catch(() => undefined);
      await Promise.race([drained, lost]);
      connection.off('close', onLost);
      await queue.close().catch(() => undefined);
      await infra.close();
      await connection.quit().catch(() => connection.disconnect());
      await Promise.all(upstreams.map((u) => u.close()));
      await close(httpServer);
      await tracing.shutdown();
      logger.info('refund worker stopped');
    },
  };
}

const now = () => new Date().toISOString();
