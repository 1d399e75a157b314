import type { CourseRun } from '../../CourseRun';
import type { DiscoveryCourseRun } from './dto';

/** Pure mapping from discovery's shape. The organization is the first part of the course key (`MITx+6.00x`). */
export function toCourseRun(dto: DiscoveryCourseRun): CourseRun {
  const start = dto.start ? Date.parse(dto.start) : NaN;
  return {
    key: dto.key,
    title: dto.title,
    organization: dto.course ? (dto.course.split('+')[0] ?? null) : null,
    imageUrl: dto.image?.src ?? null,
    marketingUrl: dto.marketing_url ?? null,
    start: Number.isNaN(start) ? null : new Date(start).toISOString().replace('.000Z', 'Z'),
  };
}
