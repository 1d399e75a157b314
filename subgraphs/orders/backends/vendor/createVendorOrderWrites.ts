import type { Logger } from 'pino';
import type { Upstream } from '../../../../upstream/Upstream';
import type { OrdersBackend } from '../../port/OrdersBackend';
import type { VendorConfig } from '../../config/vendorConfig';
import { VendorOrderWrites } from './VendorOrderWrites';
import { VendorTokenProvider } from './VendorTokenProvider';

/**
 * The writer on the upstream clients the vendor reads already use (one pool, bulkhead and breaker per
 * system, one name in /status), with a token provider of its own: the reads' one is not reachable
 * from here, and a second service token costs one token request per process.
 */
export function createVendorOrderWrites(
  config: VendorConfig,
  visibility: Pick<OrdersBackend, 'getOrders'>,
  upstreams: readonly Upstream[],
  logger: Logger,
): VendorOrderWrites {
  const find = (name: string) => {
    const upstream = upstreams.find((u) => u.name === name);
    if (!upstream) throw new Error(`vendor writes need the ${name} upstream client`);
    return upstream;
  };
  const tokens = new VendorTokenProvider({
    auth: find(config.auth.name),
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    scopes: config.scopes,
  });
  return new VendorOrderWrites({
    api: find(config.api.name),
    tokens,
    projectKey: config.projectKey,
    visibility,
    logger,
  });
}
