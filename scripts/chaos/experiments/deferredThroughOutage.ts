import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosExperiment, ChaosSettings } from '../ChaosExperiment';
import { ExperimentRecord } from '../ExperimentRecord';
import { BACKENDS, startMutationStack, type Backend, type MutationStack } from '../startMutationStack';
import { reachedOwner } from './reachedOwner';

const JOBS_PER_BACKEND = 2;
const STATUS = 'query S($id: ID!) { refundRequest(id: $id) { id status } }';

interface Job {
  backend: Backend;
  orderNumber: string;
  id: string;
}

/**
 * T13, per backend, every component a real process on the real Redis: deferred refunds accepted while
 * the backends answer, then both backends down (503 on every call) for `outageMs` — 60 s in the full
 * run — with a worker retrying throughout; once they are back every job is delivered, none lost, each
 * order's refund applied exactly once. Then a worker is SIGKILLed mid-job (the backend applied the
 * refund, the worker had not heard): a second worker re-runs the stalled job, which reconciles and
 * completes, the refund still applied once.
 *
 * The fast run keeps the outage to a couple of seconds and scales the worker's backoff base with it
 * (outage / 60: 1 s, the production default, in the full run), so the worker makes a similar number
 * of failed attempts in either run; its backoff cap is 5 × base so the first attempt after recovery
 * comes within seconds rather than the production cap's 5 min.
 */
export const deferredThroughOutage: ChaosExperiment = {
  id: 'T13',
  title: 'deferred refunds through a backend outage and a worker kill: delivered once, none lost',
  async run(settings: ChaosSettings) {
    const record = new ExperimentRecord(this.id, this.title);
    const stack = await startMutationStack();
    const base = Math.max(50, Math.round(settings.outageMs / 60));
    const workerEnv = {
      REFUND_RETRY_BASE_MS: String(base),
      REFUND_RETRY_MAX_MS: String(base * 5),
      // Its breakers open during the outage; they must try again soon after it ends.
      LEGACY_ECOMMERCE_BREAKER_RESET_MS: String(Math.max(300, base * 2)),
      VENDOR_API_BREAKER_RESET_MS: String(Math.max(300, base * 2)),
      VENDOR_AUTH_BREAKER_RESET_MS: String(Math.max(300, base * 2)),
      // A killed worker's job is handed on after this; its delivery record's lease alike.
      REFUND_WORKER_LOCK_MS: '1000',
      IDEMPOTENCY_LEASE_MS: '1000',
    };
    try {
      const front = await stack.startOrders();
      const accept = async (backend: Backend): Promise<Job> => {
        const orderNumber = stack.take(backend);
        const reply = await stack.refund(front.url, { orderNumber, delivery: 'DEFERRED' }, stack.newKey());
        const accepted = reply.body.data?.requestRefund as { id?: string; status?: string } | undefined;
        if (accepted?.status !== 'PENDING') throw new Error(`not accepted: ${reply.text.slice(0, 300)}`);
        return { backend, orderNumber, id: String(accepted.id) };
      };

      // 1. The outage.
      const jobs: Job[] = [];
      for (const backend of BACKENDS)
        for (let i = 0; i < JOBS_PER_BACKEND; i++) jobs.push(await accept(backend));
      const down = { errorRate: 1, errorStatus: 503 };
      stack.legacy.setFaults(down);
      stack.vendor.setFaults(down);
      const firstWorker = await stack.startWorker(workerEnv);
      await sleep(settings.outageMs);
      const failedAttempts = firstWorker.process.logs.filter(
        (l) => l.msg === 'deferred refund attempt failed',
      ).length;
      record.figure('outageMs', settings.outageMs);
      record.figure('retryBaseMs', base);
      record.atLeast('attemptsFailedDuringOutage', failedAttempts, jobs.length);
      record.equals(
        'appliedDuringOutage',
        sum(jobs.map((j) => stack.appliedFor(j.backend, j.orderNumber))),
        0,
      );
      record.equals(
        'pendingAfterOutage',
        (await statuses(stack, front.url, jobs)).filter((s) => s === 'PENDING').length,
        jobs.length,
      );
      stack.legacy.clearFaults();
      stack.vendor.clearFaults();
      const recoveredAt = Date.now();
      const afterOutage = await untilDelivered(stack, front.url, jobs, 60_000);
      record.figure('deliveredWithinMsOfRecovery', Date.now() - recoveredAt);
      for (const backend of BACKENDS) {
        const mine = jobs.filter((j) => j.backend === backend);
        record.equals(
          `${backend}.deliveredAfterOutage`,
          afterOutage.filter((s, i) => jobs[i]!.backend === backend && reachedOwner(s)).length,
          mine.length,
        );
        record.equals(
          `${backend}.appliedOnceEach`,
          mine.every(
            (j) => stack.appliedFor(backend, j.orderNumber) === stack.expectedFor(backend, j.orderNumber),
          ),
          true,
        );
      }

      // 2. The worker killed mid-job.
      for (const backend of BACKENDS) stack.holding[backend].hold = true;
      const killed: Job[] = [];
      for (const backend of BACKENDS) killed.push(await accept(backend));
      await Promise.all(BACKENDS.map((b) => stack.holding[b].whenHeld()));
      record.equals(
        'appliedBeforeKill',
        killed.filter((j) => stack.appliedFor(j.backend, j.orderNumber) > 0).length,
        killed.length,
      );
      await firstWorker.process.kill('SIGKILL');
      record.equals('workerKilledBySignal', firstWorker.process.child.signalCode, 'SIGKILL');
      record.equals(
        'pendingAfterKill',
        (await statuses(stack, front.url, killed)).filter((s) => s === 'PENDING').length,
        killed.length,
      );
      for (const backend of BACKENDS) {
        stack.holding[backend].hold = false;
        stack.holding[backend].release();
      }
      const secondWorker = await stack.startWorker(workerEnv);
      const afterKill = await untilDelivered(stack, front.url, killed, 30_000);
      for (const [i, job] of killed.entries()) {
        record.figure(`${job.backend}.stalledJobStatus`, afterKill[i] ?? 'MISSING');
        record.equals(`${job.backend}.stalledJobDelivered`, reachedOwner(afterKill[i]), true);
        record.equals(
          `${job.backend}.stalledJobAppliedOnce`,
          stack.appliedFor(job.backend, job.orderNumber),
          stack.expectedFor(job.backend, job.orderNumber),
        );
      }
      record.atLeast(
        'reRunsThatReconciled',
        secondWorker.process.logs.filter(
          (l) => l.event === 'takeover reconciled' && l.alreadyApplied === true,
        ).length,
        killed.length,
      );
      const all = [...jobs, ...killed];
      record.equals(
        'jobsLost',
        all.length - (await statuses(stack, front.url, all)).filter((s) => reachedOwner(s)).length,
        0,
      );
    } finally {
      await stack.stop();
    }
    return record.result();
  },
};

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

async function statuses(stack: MutationStack, url: string, jobs: Job[]): Promise<string[]> {
  return Promise.all(
    jobs.map(async (job) => {
      const reply = await stack.post(url, STATUS, { id: job.id }, { direct: true });
      return String((reply.body.data?.refundRequest as { status?: string } | null)?.status ?? 'MISSING');
    }),
  );
}

async function untilDelivered(
  stack: MutationStack,
  url: string,
  jobs: Job[],
  timeoutMs: number,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let last = await statuses(stack, url, jobs);
  while (!last.every((s) => reachedOwner(s)) && Date.now() < deadline) {
    await sleep(100);
    last = await statuses(stack, url, jobs);
  }
  return last;
}
