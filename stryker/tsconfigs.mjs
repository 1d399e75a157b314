import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { groups } from './groups.mjs';

/**
 * One tsconfig per group for Stryker's TypeScript checker: only the mutated files (TypeScript follows
 * their imports), not the whole project, so a mutant is type-checked in a fraction of a second. Tests
 * need no check here: ts-jest transpiles them alone.
 */
export function writeTsconfigs() {
  for (const [name, group] of Object.entries(groups)) {
    const include = [...new Set(group.mutate.map((pattern) => `../${pattern.replace(/:\d+-\d+$/, '')}`))];
    const tsconfig = { extends: '../tsconfig.json', compilerOptions: { types: ['node'] }, include };
    writeFileSync(
      new URL(`tsconfig.${name}.json`, import.meta.url),
      `${JSON.stringify(tsconfig, null, 2)}\n`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeTsconfigs();
