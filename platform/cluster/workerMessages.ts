/** The messages a primary (superviseWorkers) and its workers (serveAsWorker, runMain) exchange over IPC. */
export const WORKER_READY = 'switchyard:worker-ready';
export const WORKER_SHUTDOWN = 'switchyard:worker-shutdown';
export const STATUS_REQUEST = 'switchyard:status-request';
export const STATUS_RESPONSE = 'switchyard:status-response';

export type WorkerMessage =
  | { type: typeof WORKER_READY }
  | { type: typeof WORKER_SHUTDOWN }
  | { type: typeof STATUS_REQUEST; requestId: number }
  | { type: typeof STATUS_RESPONSE; requestId: number; status: Record<string, unknown> };

export function isWorkerMessage<T extends WorkerMessage['type']>(
  message: unknown,
  type: T,
): message is Extract<WorkerMessage, { type: T }> {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}
