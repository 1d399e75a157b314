import type { CallContext } from '../CallContext';
import type { CourseRun } from './CourseRun';

export type { CallContext };

/** The catalog port. Batch-first: results align with `keys`, null for a key the catalog does not know. */
export interface CatalogBackend {
  getCourseRuns(keys: readonly string[], context: CallContext): Promise<(CourseRun | null)[]>;
}
