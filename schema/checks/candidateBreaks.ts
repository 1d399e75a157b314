import { apiSchemaOf } from './apiSchemaOf';
import type { ClientOperation } from './ClientOperation';
import { operationBreaks, type OperationBreak } from './operationBreaks';
import { schemaChanges, type SchemaChange } from './schemaChanges';

export interface CandidateVerdict {
  /** Every change from the serving API schema to the candidate's; empty without one to compare with. */
  changes: SchemaChange[];
  /** The shipped operations the candidate breaks: any one refuses it. */
  breaks: OperationBreak[];
}

/**
 * A candidate supergraph against the one clients see today and the operations they ship. Throws when
 * either SDL does not build as a supergraph.
 */
export async function candidateBreaks(input: {
  beforeSdl: string | null;
  candidateSdl: string;
  operations: readonly ClientOperation[];
}): Promise<CandidateVerdict> {
  const after = apiSchemaOf(input.candidateSdl);
  const before = input.beforeSdl === null ? null : apiSchemaOf(input.beforeSdl);
  const changes = before ? await schemaChanges(before, after) : [];
  return { changes, breaks: operationBreaks({ before, after, changes, operations: input.operations }) };
}
