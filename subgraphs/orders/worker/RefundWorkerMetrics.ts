import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { REFUND_JOB_STATES, type RefundJobCounts } from '../queue/RefundQueue';

/** What became of one delivery attempt: done, back in the queue for later, or given up for good. */
export type RefundJobOutcome = 'delivered' | 'retried' | 'failed';
const OUTCOMES: readonly RefundJobOutcome[] = ['delivered', 'retried', 'failed'];

/** Prometheus metrics of the refund worker, on the worker process's registry. */
export interface RefundWorkerMetrics {
  jobs: Counter<'outcome'>;
  deliveryDuration: Histogram;
  queueJobs: Gauge<'state'>;
}

/**
 * `counts` is read when Prometheus scrapes (not on a timer), so the gauges are as fresh as the scrape
 * and an idle worker makes no Redis calls for them. When Redis cannot answer, the gauges have no
 * samples in that scrape rather than the last known counts passed off as current.
 */
export function createRefundWorkerMetrics(
  registry: Registry,
  counts: () => Promise<RefundJobCounts>,
): RefundWorkerMetrics {
  const registers = [registry];
  const jobs = new Counter({
    name: 'switchyard_refund_jobs_total',
    help: 'Deferred refund attempts by outcome (delivered; retried: failed, will run again; failed: given up)',
    labelNames: ['outcome'],
    registers,
  });
  // Every outcome present from the start, so rate() and alerts see a 0, not a missing series.
  for (const outcome of OUTCOMES) jobs.inc({ outcome }, 0);
  return {
    jobs,
    deliveryDuration: new Histogram({
      name: 'switchyard_refund_delivery_duration_seconds',
      help: 'Duration of one deferred refund delivery attempt (its upstream calls included)',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    queueJobs: new Gauge({
      name: 'switchyard_refund_queue_jobs',
      help: 'Jobs in the deferred refund queue by state, read from Redis at scrape time',
      labelNames: ['state'],
      registers,
      async collect() {
        try {
          const now = await counts();
          for (const state of REFUND_JOB_STATES) this.set({ state }, now[state]);
        } catch {
          this.reset();
        }
      },
    }),
  };
}
