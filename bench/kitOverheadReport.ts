import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { measureKitOverhead, type KitOverheadResult } from './kitOverhead';

const RESULTS = join(__dirname, '..', '..', 'bench', 'results', 'kit-overhead.json');

/**
 * The kit-overhead part of `npm run bench` (resilience reference T17; the chaos suite runs the same
 * measurement): writes bench/results/kit-overhead.json and prints one line per figure.
 */
export async function runKitOverheadBench(log: (line: string) => void): Promise<KitOverheadResult> {
  log('kit overhead: direct undici call vs the upstream kit, 500 req/s open loop, 3 rounds of 5 s');
  const result = await measureKitOverhead({ ratePerSec: 500, phaseMs: 5000, rounds: 3, warmupMs: 2000 });
  const report = { generatedAt: new Date().toISOString(), target: { p50Ms: 1, p99Ms: 3 }, ...result };
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
  const { direct, kit } = result.endToEnd;
  process.stdout.write(
    [
      '',
      'kit overhead (T17)        p50 ms   p99 ms',
      `  direct undici call      ${pad(direct.p50)}   ${pad(direct.p99)}`,
      `  through the kit         ${pad(kit.p50)}   ${pad(kit.p99)}`,
      `  added (target 1 / 3)    ${pad(result.overheadMs.p50)}   ${pad(result.overheadMs.p99)}`,
      `  added, in-process only  ${pad(result.inProcessOverheadMs.p50)}   ${pad(result.inProcessOverheadMs.p99)}`,
      `  errors: ${result.errors.direct} direct, ${result.errors.kit} kit; ${result.achievedRatePerSec} req/s answered; written to bench/results/kit-overhead.json`,
      '',
    ].join('\n'),
  );
  return result;
}

const pad = (n: number) => n.toFixed(2).padStart(6);
