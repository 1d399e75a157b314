import { createHash } from 'node:crypto';
import type { SeedCourseRun } from '../seed/seedCourseRuns';

/**
 * Renders a seed run in the course-discovery `CourseRunWithProgramsSerializer` shape (§6).
 * `marketing_url` is the stored one; the API adds each caller's UTM parameters when it answers
 * (marketingUrlFor).
 */
export function toDiscoveryCourseRun(run: SeedCourseRun, index: number): Record<string, unknown> {
  const slug = run.course.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const seatTypes = run.seatTypes ?? ['audit', 'verified'];
  return {
    key: run.key,
    uuid: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    title: run.title,
    short_description: `<p>${run.title}</p>`,
    full_description: `<p>Learn ${run.title} with ${run.org}.</p>`,
    start: run.start,
    end: run.end,
    enrollment_start: null,
    enrollment_end: run.end,
    pacing_type: run.pacing,
    // `type` is the legacy seat type (type_legacy); `run_type` the CourseRunType's uuid.
    type: seatTypes.includes('verified') ? 'verified' : (seatTypes[seatTypes.length - 1] ?? 'audit'),
    // SeatSerializer (course_discovery/apps/api/serializers.py): the LMS's course modes as discovery
    // knows them; the refund rule reads whether a `verified` one exists.
    seats: seatTypes.map((type) => ({
      type,
      price: type === 'audit' ? '0.00' : '149.00',
      currency: 'USD',
      upgrade_deadline: type === 'audit' ? null : run.end,
      upgrade_deadline_override: null,
      credit_provider: null,
      credit_hours: null,
      sku: createHash('sha256').update(`${run.key}:${type}`).digest('hex').slice(0, 7).toUpperCase(),
      bulk_sku: null,
    })),
    run_type: runTypeUuid(run.runType),
    // `restricted_run.restriction_type`, null for an open run (MinimalCourseRunSerializer).
    restriction_type: run.restrictionType,
    status: 'published',
    availability: 'Archived',
    marketing_url: `https://www.example.org/course/${slug}`,
    image: { src: `https://images.example.org/${slug}.jpg`, description: null, height: 480, width: 640 },
    course: run.course,
  };
}

/** A stable uuid per run type slug (the real ones are database rows). */
function runTypeUuid(slug: string): string {
  const hex = createHash('sha256').update(`run-type:${slug}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
