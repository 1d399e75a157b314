import { env, parseEnv, type Env } from './parseEnv';

/** Where a component serves `/metrics` and `/status` (and its probes again), apart from its public port. */
export interface AdminOptions {
  port: number;
  host: string;
}

/**
 * ADMIN_PORT and ADMIN_HOST. Each component has its own default port, so the three can run on one
 * machine unconfigured; who may reach the port is the network's decision (deploy/k8s/network-policy.yaml).
 */
export function parseAdminEnv(source: Env, defaultPort: number): AdminOptions {
  const parsed = parseEnv(
    {
      ADMIN_PORT: env.port(defaultPort),
      ADMIN_HOST: env.string('0.0.0.0'),
    },
    source,
  );
  return Object.freeze({ port: parsed.ADMIN_PORT, host: parsed.ADMIN_HOST });
}

/** The default admin ports: the gateway's, the orders subgraph's, the catalog subgraph's. */
export const DEFAULT_ADMIN_PORTS = Object.freeze({ gateway: 9400, orders: 9401, catalog: 9402 });
