/**
 * course-discovery's `get_marketing_url_for_user` (course_discovery/apps/api/serializers.py): the
 * stored URL plus `utm_source=<slugified username>&utm_medium=<referral_tracking_id>` (default
 * `affiliate_partner`, core/models.py), unless the request says `exclude_utm`. See
 * docs/reference/discovery.md "Marketing URLs".
 */
export function marketingUrlFor(stored: unknown, username: string, excludeUtm: boolean): unknown {
  if (typeof stored !== 'string' || stored === '') return null;
  if (excludeUtm) return stored;
  const params = new URLSearchParams({ utm_source: slugify(username), utm_medium: 'affiliate_partner' });
  return `${stored}?${params.toString()}`;
}

/** Django's `slugify`: ASCII, lower case, only word characters and hyphens, spaces to hyphens. */
export function slugify(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[^\x00-\x7f]/g, '')
    .toLowerCase()
    .replace(/[^\w\s-]/g, '')
    .replace(/[-\s]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
}
