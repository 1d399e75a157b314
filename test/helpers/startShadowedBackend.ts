import pino from 'pino';
import { Registry } from 'prom-client';
import type { Identity } from '../../platform/auth/Identity';
import { signToken } from '../../platform/auth/signToken';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import type { Env } from '../../platform/config/parseEnv';
import { parseOrdersConfig } from '../../subgraphs/orders/config/ordersConfig';
import type { OrdersBackend } from '../../subgraphs/orders/port/OrdersBackend';
import { selectOrdersBackend } from '../../subgraphs/orders/selectOrdersBackend';

export interface ShadowedBackend {
  backend: OrdersBackend;
  registry: Registry;
  /** Every log line, parsed. */
  logs: Record<string, unknown>[];
  /** `switchyard_orders_shadow_<name>_total` by the value of `label`. */
  counts(name: 'reads' | 'orders' | 'fields', label: string): Promise<Record<string, number>>;
  /** Resolves once `check` holds (polling: the shadow runs detached), else fails after `timeoutMs`. */
  until(check: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The orders backend exactly as the subgraph builds it, with its metrics and logs in reach. */
export function startShadowedBackend(env: Env): ShadowedBackend {
  const config = parseOrdersConfig(env);
  const registry = new Registry();
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const selected = selectOrdersBackend(config, logger, {}, { registry });
  return {
    backend: selected.backend,
    registry,
    logs,
    counts: async (name, label) => {
      const metric = registry.getSingleMetric(`switchyard_orders_shadow_${name}_total`);
      const values = metric ? (await metric.get()).values : [];
      const out: Record<string, number> = {};
      for (const v of values) {
        const key = String(v.labels[label]);
        out[key] = (out[key] ?? 0) + v.value;
      }
      return out;
    },
    until: async (check, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error('condition not met in time');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: async () => void (await Promise.all(selected.upstreams.map((u) => u.close()))),
  };
}

/** A learner's identity as the subgraph would build it from their JWT. */
export function learner(username: string): { identity: Identity; requestId: string } {
  return {
    identity: { username, isStaff: false, token: signToken(username, parseJwtEnv({})) },
    requestId: `test-${Math.random().toString(36).slice(2, 10)}`,
  };
}
