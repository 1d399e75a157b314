import type { CeilingVariant } from './CeilingVariant';
import { median, type Batch } from './measureBatches';

/**
 * MEASUREMENT ONLY (bench/executionCeiling.ts): the table. "÷ B" is the ratio of medians; "÷ B paired"
 * the median over rounds of each round's own ratio (both batches in the same round, so a neighbour's
 * load spike hits both), the better figure on a shared box.
 */
export function formatCeiling(
  variants: readonly CeilingVariant[],
  results: Map<CeilingVariant['id'], Batch[]>,
): string {
  const b = results.get('B');
  const bMedian = b ? median(b.map((x) => x.cpuUsPerPage)) : undefined;
  const rows = variants.map((variant) => {
    const batches = results.get(variant.id)!;
    const cpu = batches.map((x) => x.cpuUsPerPage);
    const cpuMedian = median(cpu);
    const paired = b ? median(batches.map((x, i) => x.cpuUsPerPage / b[i]!.cpuUsPerPage)) : undefined;
    return [
      variant.id,
      variant.label,
      cpuMedian.toFixed(0),
      cpu.map((x) => x.toFixed(0)).join(', '),
      bMedian ? (cpuMedian / bMedian).toFixed(2) : '–',
      paired !== undefined ? paired.toFixed(2) : '–',
      median(batches.map((x) => x.gcUsPerPage)).toFixed(0),
      median(batches.map((x) => x.wallMsPerPage)).toFixed(2),
      String(batches.reduce((sum, x) => sum + x.errors, 0)),
      median(batches.map((x) => x.othersCores)).toFixed(2),
    ];
  });
  const head = [
    'variant',
    'what',
    'µs CPU/page (median)',
    'batches (µs CPU/page)',
    '÷ B',
    '÷ B paired',
    'GC µs/page',
    'wall ms/page',
    'errors',
    'others (cores)',
  ];
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
