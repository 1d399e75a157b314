import type { SimResponse } from '../kit/createSimulator';

/**
 * The commercetools error envelope (upstream-apis.md §4): `message` repeats the first error, and
 * OAuth failures also carry the OAuth `error` code.
 */
export function vendorError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): SimResponse {
  return { status, body: { statusCode: status, message, errors: [{ code, message }], ...extra } };
}
