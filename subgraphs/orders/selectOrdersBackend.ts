import type { Logger } from 'pino';
import { createUpstream, type UpstreamDeps } from '../../upstream/createUpstream';
import type { Upstream } from '../../upstream/Upstream';
import { LegacyOrdersBackend } from './backends/legacy/LegacyOrdersBackend';
import type { OrdersConfig } from './ordersConfig';
import type { OrdersBackend } from './OrdersBackend';

export interface SelectedBackend {
  backend: OrdersBackend;
  upstreams: Upstream[];
}

/** The one place that looks at ORDERS_BACKEND. Exhaustive: a new mode will not compile until handled here. */
export function selectOrdersBackend(config: OrdersConfig, logger: Logger, upstreamDeps: UpstreamDeps = {}): SelectedBackend {
  switch (config.backend) {
    case 'legacy': {
      const upstream = createUpstream(config.legacy, upstreamDeps);
      return {
        backend: new LegacyOrdersBackend({ upstream, receiptBaseUrl: config.receiptBaseUrl, logger }),
        upstreams: [upstream],
      };
    }
    default:
      return assertNever(config.backend);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled orders backend: ${String(value)}`);
}
