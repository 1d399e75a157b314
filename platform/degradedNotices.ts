import { AsyncLocalStorage } from 'node:async_hooks';

/** A part of the response that was served in a degraded way (today: stale-if-error). */
export interface DegradedNotice {
  upstream: string;
  reason: 'stale';
  ageMs: number;
}

// Per-request collector: adapters and loaders need not thread it through; the server that started
// the request reads it when sending the response.
const store = new AsyncLocalStorage<DegradedNotice[]>();

export function runWithNotices<T>(work: () => Promise<T>): { notices: DegradedNotice[]; result: Promise<T> } {
  const notices: DegradedNotice[] = [];
  return { notices, result: store.run(notices, work) };
}

export function reportNotice(notice: DegradedNotice): void {
  store.getStore()?.push(notice);
}

export function currentNotices(): DegradedNotice[] | undefined {
  return store.getStore();
}
