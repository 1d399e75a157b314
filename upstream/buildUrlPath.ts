import type { UpstreamRequest } from './Upstream';

/** Joins the base path and the request path and appends the query, skipping undefined values. */
export function buildUrlPath(basePath: string, request: Pick<UpstreamRequest, 'path' | 'query'>): string {
  const base = basePath.endsWith('/') ? basePath.slice(0, -1) : basePath;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) params.append(key, String(value));
  }
  const search = params.toString();
  return `${base}${request.path}${search ? `?${search}` : ''}`;
}
