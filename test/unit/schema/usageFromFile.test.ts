import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usageFromFile } from '../../../scripts/schemaCheck/usageFromFile';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-usage-file-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('usageFromFile', () => {
  it('sums a scrape per client and coordinate, over versions and components', () => {
    const scrape = [
      '# HELP switchyard_field_usage_total Operations asking for a schema coordinate',
      '# TYPE switchyard_field_usage_total counter',
      'switchyard_field_usage_total{client="mfe",client_version="1.0",coordinate="Order.total",component="gateway"} 3',
      'switchyard_field_usage_total{client="mfe",client_version="1.1",coordinate="Order.total",component="gateway"} 4',
      'switchyard_field_usage_total{client="other",client_version="other",coordinate="Query.order(number:)",component="gateway"} 1',
      'switchyard_supergraph_reloads_total{outcome="applied",component="gateway"} 9',
    ].join('\n');
    expect(usageFromFile(file('scrape.txt', scrape))).toEqual({
      source: join(dir, 'scrape.txt'),
      window: null,
      entries: [
        { client: 'mfe', coordinate: 'Order.total', count: 7 },
        { client: 'other', coordinate: 'Query.order(number:)', count: 1 },
      ],
    });
  });

  it('reads a saved /api/v1/query answer', () => {
    const answer = {
      status: 'success',
      data: {
        resultType: 'vector',
        result: [{ metric: { client: 'mfe', coordinate: 'Order.total' }, value: [1765000000.1, '12.5'] }],
      },
    };
    expect(usageFromFile(file('answer.json', JSON.stringify(answer))).entries).toEqual([
      { client: 'mfe', coordinate: 'Order.total', count: 12.5 },
    ]);
  });

  it.each([
    [
      'an error answer',
      '{"status":"error","errorType":"bad_data","error":"parse error"}',
      'did not answer a Prometheus vector',
    ],
    ['broken JSON', '{"status":', 'did not answer JSON'],
  ])('refuses %s, naming the file', (_name, text, message) => {
    expect(() => usageFromFile(file('bad.json', text))).toThrow(message);
  });

  it('refuses a file it cannot read', () => {
    expect(() => usageFromFile(join(dir, 'missing.txt'))).toThrow('cannot read the usage file');
  });
});
