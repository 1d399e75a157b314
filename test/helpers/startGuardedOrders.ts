import { signToken } from '../../platform/auth/signToken';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import { SUBGRAPH_SECRET_HEADER } from '../../platform/http/subgraphSecret';
import { SPAWNED_SUBGRAPH_SECRET, spawnComponent, type Component } from './spawnComponent';

export interface GuardedOrders {
  component: Component;
  url: string;
  admin: string;
  /** One learner's whole first page, straight to this instance as the gateway would ask. */
  history(username: string): Promise<{ systems: string; errors?: { extensions?: { code?: string } }[] }>;
  status(): Promise<{ rollout: Record<string, any> }>;
  metrics(): Promise<string>;
}

const HISTORY = `{ orderHistory(pageSize: 100) { count orders { number } } }`;
const jwt = parseJwtEnv({});

/**
 * A real orders-subgraph process (dist/) with the given environment, and the three things the
 * guardrail tests ask of it: a learner's history (which systems served it, by number prefix), the
 * admin port's `/status` and `/metrics`.
 */
export async function startGuardedOrders(env: Record<string, string>): Promise<GuardedOrders> {
  const component = spawnComponent('subgraphs/orders/main.js', { ORDERS_SUBGRAPH_PORT: '0', ...env });
  const line = await component.waitFor('orders subgraph listening');
  const url = String(line.url);
  const admin = String(line.admin);
  return {
    component,
    url,
    admin,
    history: async (username) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `JWT ${signToken(username, jwt)}`,
          [SUBGRAPH_SECRET_HEADER]: SPAWNED_SUBGRAPH_SECRET,
        },
        body: JSON.stringify({ query: HISTORY }),
      });
      const body = (await response.json()) as {
        data?: { orderHistory: { orders: { number: string }[] } } | null;
        errors?: { extensions?: { code?: string } }[];
      };
      const prefixes = new Set((body.data?.orderHistory.orders ?? []).map((o) => o.number.split('-')[0]));
      return { systems: [...prefixes].sort().join('+'), ...(body.errors ? { errors: body.errors } : {}) };
    },
    status: async () => (await (await fetch(`${admin}/status`)).json()) as { rollout: Record<string, any> },
    metrics: async () => (await fetch(`${admin}/metrics`)).text(),
  };
}

/** Resolves once `check` holds, polling; fails after `timeoutMs` with `what`. */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
