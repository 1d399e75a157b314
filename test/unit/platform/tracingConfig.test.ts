import { parseGatewayConfig } from '../../../gateway/gatewayConfig';
import { parseTracingConfig } from '../../../platform/tracing/tracingConfig';
import { parseCatalogConfig } from '../../../subgraphs/catalog/catalogConfig';
import { parseOrdersConfig } from '../../../subgraphs/orders/config/ordersConfig';
import { configError } from '../../helpers/configError';

const subgraphEnv = { LEGACY_ECOMMERCE_URL: 'http://legacy', DISCOVERY_URL: 'http://discovery' };

describe('tracing configuration', () => {
  it('needs nothing: each component names itself, samples everything and exports nothing', () => {
    expect(parseGatewayConfig({}).tracing).toEqual({
      serviceName: 'switchyard-gateway',
      sampleRatio: 1,
      exportUrl: null,
    });
    expect(parseOrdersConfig(subgraphEnv).tracing.serviceName).toBe('switchyard-orders');
    expect(parseCatalogConfig(subgraphEnv).tracing.serviceName).toBe('switchyard-catalog');
    expect(Object.isFrozen(parseGatewayConfig({}).tracing)).toBe(true);
  });

  it.each([
    ['TRACE_SAMPLE_RATIO', '2'],
    ['TRACE_SAMPLE_RATIO', '-0.1'],
    ['TRACE_SAMPLE_RATIO', 'half'],
    ['OTEL_TRACES_SAMPLER_ARG', 'all'],
    ['OTEL_TRACES_SAMPLER', 'always_on'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'grpc://collector:4317'],
  ])('stops start-up on %s=%s, naming the variable, in every component', (name, value) => {
    for (const parse of [parseGatewayConfig, parseOrdersConfig, parseCatalogConfig]) {
      expect(configError(() => parse({ ...subgraphEnv, [name]: value }))).toContain(`${name}="${value}"`);
    }
  });

  it('says what a sample ratio may be', () => {
    expect(configError(() => parseGatewayConfig({ TRACE_SAMPLE_RATIO: '1.5' }))).toContain(
      'must be a number from 0 to 1',
    );
  });

  it('sends traces to <endpoint>/v1/traces, or to the traces endpoint as given', () => {
    expect(parseTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, 'x').exportUrl).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      parseTracingConfig(
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/ingest',
        },
        'x',
      ).exportUrl,
    ).toBe('https://traces.example.com/ingest');
  });

  it('takes the ratio from TRACE_SAMPLE_RATIO first, then the OTEL_TRACES_SAMPLER pair', () => {
    const ratio = (env: Record<string, string>) => parseTracingConfig(env, 'x').sampleRatio;
    expect(ratio({ OTEL_TRACES_SAMPLER_ARG: '0.25' })).toBe(0.25);
    expect(ratio({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' })).toBe(
      0.1,
    );
    expect(ratio({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' })).toBe(0);
    expect(ratio({ OTEL_TRACES_SAMPLER: 'parentbased_always_on', OTEL_TRACES_SAMPLER_ARG: '0.1' })).toBe(1);
    expect(ratio({ TRACE_SAMPLE_RATIO: '0.5', OTEL_TRACES_SAMPLER_ARG: '0.1' })).toBe(0.5);
    expect(ratio({ TRACE_SAMPLE_RATIO: '0' })).toBe(0);
  });

  it('takes OTEL_SERVICE_NAME over the default', () => {
    expect(parseGatewayConfig({ OTEL_SERVICE_NAME: 'edge' }).tracing.serviceName).toBe('edge');
  });
});
