import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SAMPLE = join(__dirname, '..', '..', 'deploy', 'flags', 'orders-flags.json');

type FlagFile = { flags: Record<string, Record<string, unknown>> } & Record<string, unknown>;

/** deploy/flags/orders-flags.json, parsed: tests start from the file teams are given. */
export function sampleFlags(): FlagFile {
  return JSON.parse(readFileSync(SAMPLE, 'utf8')) as FlagFile;
}

/** The sample with the rollout share (basis points) and, optionally, other flags' default variants. */
export function flagsAt(share: number, edit: (flags: FlagFile) => void = () => undefined): FlagFile {
  const file = sampleFlags();
  file.flags['orders-rollout-share']!.variants = { share };
  edit(file);
  return file;
}

/** A flag file in a fresh temporary directory, and the two ways an operator changes it. */
export function flagFile(initial: FlagFile) {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-flags-'));
  const path = join(dir, 'orders-flags.json');
  writeFileSync(path, JSON.stringify(initial, null, 2));
  return {
    path,
    /** Rewrites the file in place (an editor, `kubectl cp`). */
    write: (content: FlagFile | string) =>
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2)),
    /** Writes a new file and renames it over the old one, as a ConfigMap update swaps its files. */
    swap: (content: FlagFile) => {
      const next = join(dir, `.next-${Date.now()}.json`);
      writeFileSync(next, JSON.stringify(content, null, 2));
      renameSync(next, path);
    },
  };
}
