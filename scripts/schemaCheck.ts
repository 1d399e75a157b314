import { readFileSync } from 'node:fs';
import { ConfigError } from '../platform/config/ConfigError';
import { formatReport } from './schemaCheck/formatReport';
import { ArgumentsError, parseSchemaCheckArgs, USAGE } from './schemaCheck/parseSchemaCheckArgs';
import { readRegisteredOperations } from './schemaCheck/readRegisteredOperations';
import { registeredManifestsDir } from './schemaCheck/registeredManifestsDir';
import { runSchemaCheck, SchemaCheckInputError } from './schemaCheck/runSchemaCheck';
import { usageFromFile } from './schemaCheck/usageFromFile';
import { usageFromPrometheus, UsageSourceError } from './schemaCheck/usageFromPrometheus';

/** Exit code when the check could not run: bad arguments, an unreadable file, usage that could not be read. */
const CANNOT_RUN = 3;

// `npm run schema:check -- <subgraph> <sdl-file>`: docs/schema-changes.md.
async function main(): Promise<number> {
  const args = parseSchemaCheckArgs(process.argv.slice(2));
  const sdl = readInput(args.sdlFile, 'the SDL file');
  const currentSupergraphSdl = args.supergraphFile
    ? readInput(args.supergraphFile, '--supergraph')
    : undefined;
  const { clients, operations } = args.manifestsDir
    ? readRegisteredOperations(args.manifestsDir, '--manifests')
    : readRegisteredOperations(registeredManifestsDir(process.env));
  const usage = args.usagePrometheus
    ? await usageFromPrometheus(args.usagePrometheus, args.usageWindow)
    : args.usageFile
      ? usageFromFile(args.usageFile)
      : null;
  const report = await runSchemaCheck({
    subgraph: args.subgraph,
    sdl,
    sdlFile: args.sdlFile,
    currentSupergraphSdl,
    clients,
    operations,
    usage,
    minCount: args.usageMinCount,
  });
  process.stdout.write(formatReport(report, args.format));
  return report.exitCode;
}

function readInput(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ArgumentsError(`cannot read ${what} ${path} (${(error as Error).message})`);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`schema:check: ${message}\n`);
    if (error instanceof ArgumentsError) process.stderr.write(`${USAGE}\n`);
    const known =
      error instanceof ArgumentsError ||
      error instanceof ConfigError ||
      error instanceof UsageSourceError ||
      error instanceof SchemaCheckInputError;
    if (!known && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = CANNOT_RUN;
  },
);
