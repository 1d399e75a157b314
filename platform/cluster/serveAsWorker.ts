import { AggregatorRegistry, type Registry } from 'prom-client';
import { STATUS_REQUEST, STATUS_RESPONSE, WORKER_READY, isWorkerMessage } from './workerMessages';

export interface WorkerSide {
  /** Every registry of this worker: the primary's `/metrics` sums them over the workers. */
  registries: readonly Registry[];
  /** This worker's `/status` body: the primary lists one per worker. */
  status(): Promise<Record<string, unknown>>;
}

/**
 * The worker's half of a clustered component (superviseWorkers is the primary's): answers the primary's
 * metrics and status requests, and tells it once it is listening. A worker whose primary is gone stops
 * as on SIGTERM (drain, then exit) rather than serve on unsupervised.
 */
export function serveAsWorker(side: WorkerSide): void {
  // prom-client answers the primary's metrics requests for the registries named here.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([...side.registries]);
  process.on('message', (message: unknown) => {
    if (!isWorkerMessage(message, STATUS_REQUEST)) return;
    void side
      .status()
      .then((status) => process.send?.({ type: STATUS_RESPONSE, requestId: message.requestId, status }));
  });
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.send?.({ type: WORKER_READY });
}
