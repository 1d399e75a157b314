import { toCourseRun } from '../../../subgraphs/catalog/backends/discovery/toCourseRun';

describe('toCourseRun (discovery → CourseRun)', () => {
  it('maps a full course run, the organization from the course key and start in UTC', () => {
    expect(
      toCourseRun({
        key: 'course-v1:MITx+6.00x+2T2026',
        title: 'Introduction to Computer Science',
        start: '2026-06-01T12:00:00.000Z',
        marketing_url: 'https://www.edx.org/course/intro-cs',
        image: { src: 'https://prod-discovery.edx-cdn.org/media/intro.jpg' },
        course: 'MITx+6.00x',
      }),
    ).toEqual({
      key: 'course-v1:MITx+6.00x+2T2026',
      title: 'Introduction to Computer Science',
      organization: 'MITx',
      imageUrl: 'https://prod-discovery.edx-cdn.org/media/intro.jpg',
      marketingUrl: 'https://www.edx.org/course/intro-cs',
      start: '2026-06-01T12:00:00Z',
    });
  });

  it('turns missing, null and unparseable optional fields into null, never a crash', () => {
    expect(toCourseRun({ key: 'k', title: 't' })).toEqual({
      key: 'k',
      title: 't',
      organization: null,
      imageUrl: null,
      marketingUrl: null,
      start: null,
    });
    expect(
      toCourseRun({
        key: 'k',
        title: 't',
        start: 'soon',
        image: { src: null },
        course: null,
        marketing_url: null,
      }),
    ).toMatchObject({ start: null, imageUrl: null, organization: null, marketingUrl: null });
  });

  it('normalises an offset start to UTC', () => {
    expect(toCourseRun({ key: 'k', title: 't', start: '2026-06-01T14:00:00+02:00' }).start).toBe(
      '2026-06-01T12:00:00Z',
    );
  });
});
