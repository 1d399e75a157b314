import { parseGatewayConfig } from '../../../gateway/gatewayConfig';
import { configError } from '../../helpers/configError';

describe('FIELD_USAGE_* (gateway config)', () => {
  it('counts usage by default, every client as other', () => {
    expect(parseGatewayConfig({}).fieldUsage).toEqual({ enabled: true, clients: [] });
  });

  it('reads the listed clients and the switch', () => {
    const config = parseGatewayConfig({
      FIELD_USAGE_CLIENTS: ' order-history-mfe, admin.mfe ',
      FIELD_USAGE_METRICS: 'false',
    });
    expect(config.fieldUsage).toEqual({ enabled: false, clients: ['order-history-mfe', 'admin.mfe'] });
  });

  it.each(['bad name', 'other', 'a/b'])(
    'stops start-up on FIELD_USAGE_CLIENTS=%s, naming the variable',
    (value) => {
      expect(configError(() => parseGatewayConfig({ FIELD_USAGE_CLIENTS: value }))).toContain(
        'FIELD_USAGE_CLIENTS=',
      );
    },
  );
});
