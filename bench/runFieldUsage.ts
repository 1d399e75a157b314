import { cpus } from 'node:os';
import { join } from 'node:path';
import { CLIENT_NAME_HEADER, CLIENT_VERSION_HEADER } from '../gateway/plugins/countFieldUsage';
import { FIELD_USAGE_CLIENT, fieldUsageStacks } from './benchStacks';
import { buildFieldUsageComparison, formatFieldUsageComparison } from './fieldUsageReport';
import { logErrorKinds } from './logErrorKinds';
import type { BenchConfig } from './measureRun';
import { summarizeProfiles } from './profileSummary';
import { writeReport } from './report';
import type { RoundsReport } from './roundsReport';
import { OUR_STACKS, runRounds } from './runRounds';
import type { SubgraphClient } from './startStack';

const FIELD_USAGE_RESULTS = join(__dirname, '..', '..', 'bench', 'results', 'field-usage.json');

/**
 * Issue 24's figure: one of our deployments (BENCH_STACKS, default colocated) with field usage counted
 * and not, in alternating rounds of the same run, the load naming the MFE's client as the MFE does.
 */
export async function runFieldUsage(
  config: BenchConfig,
  reportConfig: RoundsReport['config'],
  clients: SubgraphClient[] | undefined,
  learners: string[],
  authorizations: string[],
  log: (line: string) => void,
  profileDir: string | undefined,
  /** BENCH_NODE_OPTIONS: replaces the flags of `ours`. */
  nodeOptionsOverride: string | undefined,
): Promise<void> {
  const ours = clients ?? ['colocated'];
  const client = ours[0]!;
  if (ours.length !== 1 || !OUR_STACKS.includes(client))
    throw new Error(
      `BENCH_FIELD_USAGE measures one of ${OUR_STACKS.join(', ')}: set BENCH_STACKS to one of them`,
    );
  if (reportConfig.v8Flags === 'both')
    throw new Error('BENCH_FIELD_USAGE runs with one flag set: BENCH_V8_FLAGS=ours or none');
  const stacks = fieldUsageStacks(
    client,
    reportConfig.v8Flags === 'none' ? 'none' : 'ours',
    nodeOptionsOverride,
  );
  const headers = { [CLIENT_NAME_HEADER]: FIELD_USAGE_CLIENT, [CLIENT_VERSION_HEADER]: '1.0.0' };
  const result = await runRounds(
    config,
    { ...reportConfig, stacks, headers, ...(profileDir ? { profileDir } : {}) },
    learners,
    authorizations,
    log,
  );
  const comparison = buildFieldUsageComparison(stacks, result.stacks);
  if (!comparison) throw new Error('field usage: a stack did not run');
  writeReport(FIELD_USAGE_RESULTS, {
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', platform: process.platform },
    config: reportConfig,
    headers,
    stacksRun: stacks,
    comparison,
    stacks: result.stacks,
  });
  process.stdout.write(
    `\n${formatFieldUsageComparison(comparison, reportConfig.rounds)}\n\nwritten to bench/results/field-usage.json\n`,
  );
  logErrorKinds(
    Object.values(result.stacks).flatMap((s) => s.rounds),
    log,
  );
  // The profile says where the difference goes: the plugin's own functions in the `on` stack.
  if (profileDir)
    process.stdout.write(
      `\n${summarizeProfiles(profileDir, result)}\nprofiles and summary in ${profileDir}\n`,
    );
}
