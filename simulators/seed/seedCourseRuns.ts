import type { Random } from './createRandom';

export interface SeedCourseRun {
  key: string;
  course: string;
  org: string;
  title: string;
  start: string;
  end: string;
  pacing: 'instructor_paced' | 'self_paced';
  /**
   * course-discovery's CourseRunRestrictionType, or null for an open run. Restricted runs are hidden
   * from discovery's lists unless asked for (docs/reference/discovery.md "Restricted runs").
   */
  restrictionType: CourseRunRestrictionType | null;
  /** Slug of the run's CourseRunType; a retired one is hidden unless asked for ("Retired run types"). */
  runType: string;
  /**
   * The run's seat types (discovery `seats[].type`, the LMS's course modes). @default ['audit',
   * 'verified'], what the `verified-audit` run type sells.
   */
  seatTypes?: readonly string[];
}

/** course_discovery/apps/course_metadata/choices.py CourseRunRestrictionType. */
export const COURSE_RUN_RESTRICTION_TYPES = ['custom-b2b-enterprise', 'custom-b2c'] as const;
export type CourseRunRestrictionType = (typeof COURSE_RUN_RESTRICTION_TYPES)[number];

/** A run type some deployments list in RETIRED_RUN_TYPES (course-discovery's test settings do). */
export const RETIRED_RUN_TYPE = 'paid-bootcamp';

const ORGS = ['edX', 'MITx', 'HarvardX', 'MichiganX', 'UQx', 'DelftX', 'TsinghuaX', 'UPValenciaX'];
const SUBJECTS = [
  'Introduction to Computer Science',
  'Data Structures',
  'Injury Prevention for Children & Teens',
  'Calculus 1A: Differentiation',
  'The Science of Happiness',
  'Machine Learning Fundamentals',
  'Introducción a la programación en Python', // unicode on purpose
  '数据结构与算法', // CJK on purpose
  'Café, Société & Économie',
  'Quantum Mechanics — an Introduction',
  'Supply Chain Analytics',
  'Climate Change: The Science',
];
const TERMS = ['1T', '2T', '3T'];

/** 240 course runs with realistic keys, e.g. `course-v1:MichiganX+InjuryPreventionX+1T2021`. */
export function seedCourseRuns(random: Random): SeedCourseRun[] {
  const runs: SeedCourseRun[] = [];
  for (let i = 0; i < 240; i++) {
    const org = ORGS[i % ORGS.length] as string;
    const subject = SUBJECTS[i % SUBJECTS.length] as string;
    const code = `${subject.replace(/[^A-Za-z]/g, '').slice(0, 10) || 'Course'}${Math.floor(i / SUBJECTS.length)}X`;
    const year = 2019 + (i % 8);
    const term = TERMS[i % TERMS.length] as string;
    const startMonth = random.int(1, 12);
    const start = new Date(Date.UTC(year, startMonth - 1, random.int(1, 28), 16, 0, 0));
    const end = new Date(start.getTime() + random.int(6, 16) * 7 * 86_400_000);
    runs.push({
      key: `course-v1:${org}+${code}+${term}${year}`,
      course: `${org}+${code}`,
      org,
      title: subject,
      start: start.toISOString().replace('.000Z', 'Z'),
      end: end.toISOString().replace('.000Z', 'Z'),
      pacing: random.chance(0.5) ? 'self_paced' : 'instructor_paced',
      // From the index, not the random stream, so every other seeded value stays what it was. Runs
      // 17, 37, 27 (+40k) are among learner1's purchases, where tests and the explorer look first.
      restrictionType: i % 40 === 17 ? 'custom-b2c' : i % 40 === 37 ? 'custom-b2b-enterprise' : null,
      runType: i % 40 === 27 ? RETIRED_RUN_TYPE : 'verified-audit',
    });
  }
  return runs;
}
