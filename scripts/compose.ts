import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph } from '../gateway/composeSupergraph';
import { apiSchemaOf } from '../schema/checks/apiSchemaOf';
import { candidateBreaks } from '../schema/checks/candidateBreaks';
import { schemaDirectory } from '../schema/schemaDirectory';
import { describeBreak } from './schemaCheck/describeBreak';
import { readRegisteredOperations } from './schemaCheck/readRegisteredOperations';
import { registeredManifestsDir } from './schemaCheck/registeredManifestsDir';

const USAGE = `usage: npm run compose [-- --force-breaking] [--schema-dir <dir>] [--manifests <dir>]
  --force-breaking    write the supergraph even though it breaks a registered client (each is listed)
  --schema-dir <dir>  the subgraph SDLs, and where supergraph.graphql is written (default schema/)
  --manifests <dir>   the registered manifests (default PERSISTED_QUERY_MANIFESTS_DIR or persisted-queries/)
exit: 0 written, 1 refused (composition failed, or a registered client breaks), 3 bad arguments`;

function parseArgs(argv: readonly string[]): {
  force: boolean;
  schemaDir: string;
  manifestsDir: string | null;
} {
  let force = false;
  let schemaDir = schemaDirectory();
  let manifestsDir: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--force-breaking') force = true;
    else if ((arg === '--schema-dir' || arg === '--manifests') && argv[i + 1]) {
      if (arg === '--schema-dir') schemaDir = argv[++i]!;
      else manifestsDir = argv[++i]!;
    } else {
      process.stderr.write(`compose: unexpected argument ${String(arg)}\n${USAGE}\n`);
      process.exit(3);
    }
  }
  return { force, schemaDir, manifestsDir };
}

// `npm run compose`: regenerate schema/supergraph.graphql from the subgraph SDLs, unless the result
// breaks an operation a registered client ships (the rule schema:check and the gateway's reload apply).
async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const target = join(args.schemaDir, 'supergraph.graphql');
  const candidate = composeSupergraph(args.schemaDir);
  // No supergraph yet, or one that no longer builds: nothing to diff against, operations are still validated.
  let current: string | null;
  try {
    current = readFileSync(target, 'utf8');
    apiSchemaOf(current);
  } catch {
    current = null;
  }
  const { operations } = args.manifestsDir
    ? readRegisteredOperations(args.manifestsDir, '--manifests')
    : readRegisteredOperations(registeredManifestsDir(process.env));
  const { breaks } = await candidateBreaks({ beforeSdl: current, candidateSdl: candidate, operations });
  const listed = breaks.map((b) => `  - ${describeBreak(b)}`).join('\n');
  if (breaks.length > 0 && !args.force) {
    process.stderr.write(
      `refused to write ${target}: it breaks ${breaks.length} registered operation(s):\n${listed}\n` +
        'Keep the field (deprecate it first, docs/schema-changes.md), or pass --force-breaking to write it anyway.\n',
    );
    return 1;
  }
  writeFileSync(target, candidate);
  if (breaks.length > 0) {
    process.stderr.write(
      `--force-breaking: wrote a supergraph that breaks ${breaks.length} registered operation(s):\n${listed}\n`,
    );
  }
  process.stdout.write(`wrote ${target}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
