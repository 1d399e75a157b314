import { bracketsBalance, exportedFamilies, isExported, metricNamesIn } from '../helpers/promqlNames';

// The reader behind test/integration/deploy/monitoringMetrics.test.ts: what it takes for a metric name.

describe('metricNamesIn', () => {
  it('finds the metrics inside functions, aggregations and binary operators', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (le, upstream) (rate(switchyard_upstream_attempt_duration_seconds_bucket[$__rate_interval]))) / on() group_left switchyard_x_total',
      ),
    ).toEqual(['switchyard_upstream_attempt_duration_seconds_bucket', 'switchyard_x_total']);
  });

  it('does not take label values, regexes, label names or ranges for names', () => {
    expect(
      metricNamesIn(
        'sum by (switchyard_label) (rate(switchyard_a_total{field="switchyard_b", x=~"switchyard_c|d", switchyard_l!="1"}[5m] offset 1h))',
      ),
    ).toEqual(['switchyard_a_total']);
  });

  it('keeps recorded-rule names, and each name once', () => {
    expect(
      metricNamesIn(
        'switchyard:ratio:rate1h > 0.1 and switchyard:ratio:rate1h > 0.2 or absent(switchyard_up)',
      ),
    ).toEqual(['switchyard:ratio:rate1h', 'switchyard_up']);
  });
});

describe('isExported', () => {
  const families = exportedFamilies(
    [
      '# HELP switchyard_d_seconds d',
      '# TYPE switchyard_d_seconds histogram',
      '# TYPE switchyard_c_total counter',
      '# TYPE switchyard_s summary',
      'switchyard_c_total{outcome="ok"} 1',
    ].join('\n'),
  );

  it('accepts a family and the series a histogram or summary adds', () => {
    for (const name of [
      'switchyard_c_total',
      'switchyard_d_seconds_bucket',
      'switchyard_d_seconds_sum',
      'switchyard_d_seconds_count',
      'switchyard_s_count',
    ])
      expect(isExported(name, families)).toBe(true);
  });

  it('refuses an unknown name, and a suffix the family type does not have', () => {
    for (const name of [
      'switchyard_nope',
      'switchyard_c_total_bucket',
      'switchyard_s_bucket',
      'switchyard_c',
    ])
      expect(isExported(name, families)).toBe(false);
  });
});

it('bracketsBalance tells a closed expression from an open one, ignoring brackets in strings', () => {
  expect(bracketsBalance('sum(rate(a{b="(["}[5m]))')).toBe(true);
  expect(bracketsBalance('sum(rate(a[5m])')).toBe(false);
  expect(bracketsBalance('sum(rate(a[5m)))')).toBe(false);
});
