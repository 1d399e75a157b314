/** A course run as the catalog subgraph serves it. */
export interface CourseRun {
  key: string;
  title: string;
  organization: string | null;
  imageUrl: string | null;
  marketingUrl: string | null;
  /** ISO-8601 UTC. */
  start: string | null;
}
