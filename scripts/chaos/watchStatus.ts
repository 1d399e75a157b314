import { request } from 'undici';
import type { UpstreamStatus } from '../../upstream/Upstream';

export async function readUpstreamStatus(componentUrl: string, upstream: string): Promise<UpstreamStatus> {
  const response = await request(`${componentUrl}/status`);
  const body = (await response.body.json()) as { upstreams: UpstreamStatus[] };
  const found = body.upstreams.find((u) => u.name === upstream);
  if (!found) throw new Error(`${componentUrl}/status has no upstream "${upstream}"`);
  return found;
}

export interface StatusWatch {
  maxInFlight: number;
  maxQueued: number;
  /** Every breaker state seen while watching. */
  states: Set<string>;
  polls: number;
  stop(): Promise<void>;
}

/**
 * Polls one upstream's `/status` the way an operator's dashboard would, keeping the peaks: in-flight
 * above the bulkhead or an unexpected breaker state between polls of a few ms would show here.
 */
export function watchStatus(componentUrl: string, upstream: string, everyMs = 10): StatusWatch {
  let running = true;
  const watch: StatusWatch = {
    maxInFlight: 0,
    maxQueued: 0,
    states: new Set(),
    polls: 0,
    stop: async () => {
      running = false;
      await loop;
    },
  };
  const loop = (async () => {
    while (running) {
      const status = await readUpstreamStatus(componentUrl, upstream);
      watch.polls++;
      watch.maxInFlight = Math.max(watch.maxInFlight, status.inFlight);
      watch.maxQueued = Math.max(watch.maxQueued, status.queued);
      watch.states.add(status.breaker);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return watch;
}
