import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { summarizeCpuProfile, type CpuProfile } from '../summarizeCpuProfile';
import type { CeilingVariant } from './CeilingVariant';
import type { Batch } from './measureBatches';

/**
 * MEASUREMENT ONLY (bench/executionCeiling.ts, CEILING_PROFILE=<letters>): V8's sampling profiler over
 * the measured rounds of this very process, then, per variant asked for, self and inclusive time per
 * area and function counting only the samples inside that variant's batches (bench/summarizeCpuProfile.ts).
 * The profiler slows every variant alike; read the shares. Summaries go to
 * bench/results/profiles/ceiling-<time>/<letter>.md (ignored by git).
 */
export async function startCeilingProfile(): Promise<{
  stop(
    variants: readonly CeilingVariant[],
    results: Map<CeilingVariant['id'], Batch[]>,
    letters: string,
  ): Promise<string>;
}> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  // 500 µs: enough samples in a few seconds of batches, little overhead.
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  const startedAtMs = Date.now();
  await session.post('Profiler.start');
  return {
    stop: async (variants, results, letters) => {
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
      session.disconnect();
      const dir = join(
        __dirname,
        '..',
        '..',
        '..',
        'bench',
        'results',
        'profiles',
        `ceiling-${new Date().toISOString().replace(/[:.]/g, '-')}`,
      );
      mkdirSync(dir, { recursive: true });
      for (const variant of variants) {
        if (!letters.includes(variant.id)) continue;
        const batches = results.get(variant.id) ?? [];
        const pages = batches.reduce((sum, b) => sum + b.pages, 0);
        const summary = summarizeCpuProfile(profile, startedAtMs, batches, pages);
        writeFileSync(join(dir, `${variant.id}.md`), `# ${variant.id}: ${variant.label}\n\n${summary}\n`);
      }
      return dir;
    },
  };
}
