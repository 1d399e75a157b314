import type DataLoader from 'dataloader';
import type { Identity } from '../../platform/auth/Identity';
import type { CourseRun } from './CourseRun';

export interface CatalogContext {
  identity: Identity | null;
  requestId: string;
  /** Null for anonymous requests. */
  courseRuns: DataLoader<string, CourseRun | null> | null;
}
