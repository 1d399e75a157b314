import { z } from 'zod';

// course-discovery `CourseRunWithProgramsSerializer` (docs/reference/upstream-apis.md §6), the fields we read.
export const discoveryCourseRunSchema = z.object({
  key: z.string(),
  title: z.string(),
  start: z.string().nullable().optional(),
  marketing_url: z.string().nullable().optional(),
  image: z.object({ src: z.string().nullable().optional() }).nullable().optional(),
  course: z.string().nullable().optional(),
});

export const discoveryPageSchema = z.object({
  count: z.number().int(),
  next: z.string().nullable().optional(),
  results: z.array(discoveryCourseRunSchema),
});

export type DiscoveryCourseRun = z.infer<typeof discoveryCourseRunSchema>;
