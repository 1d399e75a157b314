import type { SeedCourseRun } from '../seed/seedCourseRuns';

/** Renders a seed run in the course-discovery `CourseRunWithProgramsSerializer` shape (§6). */
export function toDiscoveryCourseRun(run: SeedCourseRun, index: number): Record<string, unknown> {
  const slug = run.course.toLowerCase().replace(/[^a-z0-9]+/g, '-');
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
    type: 'verified',
    status: 'published',
    availability: 'Archived',
    marketing_url: `https://www.example.org/course/${slug}`,
    image: { src: `https://images.example.org/${slug}.jpg`, description: null, height: 480, width: 640 },
    course: run.course,
  };
}
