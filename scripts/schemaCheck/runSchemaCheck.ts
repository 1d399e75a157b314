import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { candidateBreaks } from '../../schema/checks/candidateBreaks';
import type { ClientOperation } from '../../schema/checks/ClientOperation';
import { composeSubgraphs, type CompositionProblem } from '../../schema/checks/composeSubgraphs';
import type { OperationBreak } from '../../schema/checks/operationBreaks';
import type { SchemaChange } from '../../schema/checks/schemaChanges';
import { readSubgraphSdl } from '../../schema/readSubgraphSdl';
import { schemaDirectory } from '../../schema/schemaDirectory';
import { SUBGRAPHS } from '../../schema/subgraphFiles';
import type { FieldUsage, UsageEntry } from './FieldUsage';

export interface SchemaCheckInput {
  /** The subgraph the change is for: `orders` or `catalog`. */
  subgraph: string;
  /** Its proposed SDL, and the file it came from (composition's locations name it). */
  sdl: string;
  sdlFile: string;
  /** The other subgraphs' SDLs are read here. @default schema/ */
  schemaDir?: string;
  /** What clients see today. @default schema/supergraph.graphql */
  currentSupergraphSdl?: string;
  /** The registered clients and their operations (readRegisteredOperations). */
  clients: readonly string[];
  operations: readonly ClientOperation[];
  /** Production usage, when asked for; a coordinate counted at least `minCount` times is in use. */
  usage?: FieldUsage | null;
  minCount?: number;
}

export type ChangeVerdict = 'breaks-clients' | 'safe-for-known-clients' | 'dangerous' | 'safe';

export interface CheckedChange extends SchemaChange {
  verdict: ChangeVerdict;
  /** Shipped operations it breaks. */
  operations: { client: string; operation: string }[];
  /** Clients production saw asking for what it changes. */
  usage: UsageEntry[];
}

export interface SchemaCheckReport {
  subgraph: string;
  outcome: 'pass' | 'breaking' | 'composition-failed';
  /** 0 pass, 1 breaks a known client, 2 does not compose. */
  exitCode: 0 | 1 | 2;
  composition: { ok: boolean; problems: CompositionProblem[] };
  changes: CheckedChange[];
  operations: { clients: string[]; checked: number; broken: OperationBreak[] };
  usage: { source: string; window: string | null; clients: string[] } | null;
}

/** Bad input to the check itself (an unknown subgraph): the CLI exits 3. */
export class SchemaCheckInputError extends Error {
  override readonly name = 'SchemaCheckInputError';
}

/**
 * One proposed subgraph SDL against the rest: does it compose, what changes for clients (graphql-inspector),
 * which shipped operation it breaks (the rule of schema/checks/operationBreaks.ts, which `npm run
 * compose` and the gateway's reload apply too), and which production usage it would cut off.
 */
export async function runSchemaCheck(input: SchemaCheckInput): Promise<SchemaCheckReport> {
  const schemaDir = input.schemaDir ?? schemaDirectory();
  if (!SUBGRAPHS.some((s) => s.name === input.subgraph)) {
    throw new SchemaCheckInputError(
      `unknown subgraph "${input.subgraph}": one of ${SUBGRAPHS.map((s) => s.name).join(', ')}`,
    );
  }
  const composed = composeSubgraphs(
    SUBGRAPHS.map((s) =>
      s.name === input.subgraph
        ? { name: s.name, url: s.url, sdl: input.sdl, file: input.sdlFile }
        : {
            name: s.name,
            url: s.url,
            sdl: readSubgraphSdl(s.file, schemaDir),
            file: join(schemaDir, s.file),
          },
    ),
  );
  const usage = input.usage
    ? {
        source: input.usage.source,
        window: input.usage.window,
        clients: [...new Set(input.usage.entries.map((e) => e.client))].sort(),
      }
    : null;
  const operations = {
    clients: [...input.clients],
    checked: input.operations.length,
    broken: [] as OperationBreak[],
  };
  if (!composed.ok) {
    return {
      subgraph: input.subgraph,
      outcome: 'composition-failed',
      exitCode: 2,
      composition: { ok: false, problems: composed.problems },
      changes: [],
      operations,
      usage,
    };
  }
  const verdict = await candidateBreaks({
    beforeSdl: input.currentSupergraphSdl ?? readFileSync(join(schemaDir, 'supergraph.graphql'), 'utf8'),
    candidateSdl: composed.supergraphSdl,
    operations: input.operations,
  });
  const minCount = input.minCount ?? 1;
  const used = (input.usage?.entries ?? []).filter((e) => e.count >= minCount);
  const changes = verdict.changes.map((change): CheckedChange => {
    const breaking = change.level === 'breaking';
    const hitOperations = breaking
      ? verdict.breaks
          .filter((b) => b.coordinates.includes(change.coordinate ?? ''))
          .map((b) => ({ client: b.client, operation: b.operation }))
      : [];
    const hitUsage = breaking ? used.filter((e) => usageTouches(change.coordinate, e.coordinate)) : [];
    return {
      ...change,
      verdict: breaking
        ? hitOperations.length + hitUsage.length > 0
          ? 'breaks-clients'
          : 'safe-for-known-clients'
        : change.level === 'dangerous'
          ? 'dangerous'
          : 'safe',
      operations: hitOperations,
      usage: hitUsage,
    };
  });
  const breaks = verdict.breaks.length > 0 || changes.some((c) => c.verdict === 'breaks-clients');
  return {
    subgraph: input.subgraph,
    outcome: breaks ? 'breaking' : 'pass',
    exitCode: breaks ? 1 : 0,
    composition: { ok: true, problems: [] },
    changes,
    operations: { ...operations, broken: verdict.breaks },
    usage,
  };
}

/** A change to `Order` reaches `Order.total`; a change to `Order.total` reaches itself and its arguments. */
function usageTouches(changed: string | null, used: string): boolean {
  if (!changed) return false;
  return used === changed || used.startsWith(`${changed}.`) || used.startsWith(`${changed}(`);
}
