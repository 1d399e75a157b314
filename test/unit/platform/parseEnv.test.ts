import { parseGatewayConfig } from '../../../gateway/gatewayConfig';
import { configError } from '../../helpers/configError';
import { parseOrdersConfig } from '../../../subgraphs/orders/config/ordersConfig';

describe('configuration is validated once, naming the variable', () => {
  it('names a bad port and a bad URL together', () => {
    const message = configError(() =>
      parseGatewayConfig({ GATEWAY_PORT: '70000', ORDERS_SUBGRAPH_URL: 'ftp://x' }),
    );
    expect(message).toContain('GATEWAY_PORT="70000"');
    expect(message).toContain('ORDERS_SUBGRAPH_URL="ftp://x"');
  });

  it('requires the legacy URL for the orders subgraph', () => {
    expect(configError(() => parseOrdersConfig({}))).toContain('LEGACY_ECOMMERCE_URL');
  });

  it('names a bad upstream timeout', () => {
    expect(
      configError(() =>
        parseOrdersConfig({ LEGACY_ECOMMERCE_URL: 'http://x', LEGACY_ECOMMERCE_TIMEOUT_MS: 'soon' }),
      ),
    ).toContain('LEGACY_ECOMMERCE_TIMEOUT_MS="soon"');
  });

  it('refuses a short JWT secret', () => {
    expect(configError(() => parseGatewayConfig({ JWT_SECRET: 'short' }))).toContain('JWT_SECRET');
  });

  it('returns a frozen object with defaults', () => {
    const config = parseGatewayConfig({});
    expect(config.port).toBe(4000);
    expect(Object.isFrozen(config)).toBe(true);
  });
});
