import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { allExperiments } from './chaos/allExperiments';
import { buildChaosReport, TARGET_IDS } from './chaos/buildChaosReport';
import { FULL_SETTINGS } from './chaos/ChaosExperiment';
import { formatChaosTable } from './chaos/formatChaosTable';
import { runExperiments } from './chaos/runExperiments';

// `npm run chaos [ID…]`: every experiment (or the named ones) with full-length phases, twice in a
// row — a verdict that flips between two runs on the same box is not a verdict — then the report in
// test/chaos/results/latest.json and a table on stdout. Exit 1 on any failed or disagreeing verdict.

const RUNS = 2;
const RESULTS = join(__dirname, '..', '..', 'test', 'chaos', 'results', 'latest.json');

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const experiments = wanted.length ? allExperiments.filter((e) => wanted.includes(e.id)) : allExperiments;
  if (experiments.length === 0) {
    process.stderr.write(
      `no experiment named ${wanted.join(', ')}; known: ${allExperiments.map((e) => e.id).join(', ')}\n`,
    );
    return 2;
  }
  const runs = [];
  for (let run = 1; run <= RUNS; run++) {
    runs.push(
      await runExperiments(experiments, FULL_SETTINGS, (result) => {
        const failed = result.failed.length ? ` (${result.failed.join(', ')})` : '';
        const rerun = (result.earlierAttemptsMissed ?? [])
          .map((missed, i) => `, attempt ${i + 1} missed ${Object.keys(missed).join(', ')}`)
          .join('');
        process.stderr.write(
          `run ${run} ${result.id}: ${result.verdict}${failed} in ${result.durationMs} ms${rerun}\n`,
        );
      }),
    );
  }
  const report = buildChaosReport(
    FULL_SETTINGS,
    runs,
    { node: process.version, cpus: availableParallelism() },
    // A whole run answers for every target of the resilience reference; a named subset for itself.
    wanted.length ? [] : TARGET_IDS,
  );
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${formatChaosTable(report)}\n\nwritten to test/chaos/results/latest.json\n`);
  return report.pass ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`chaos failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
