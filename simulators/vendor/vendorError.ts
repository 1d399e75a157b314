import type { SimResponse } from '../kit/createSimulator';

/**
 * The commercetools error envelope (docs/reference/vendor-commercetools.md): `message` repeats the first
 * error, and OAuth failures also carry the OAuth `error` code.
 */
export function vendorError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): SimResponse {
  return { status, body: { statusCode: status, message, errors: [{ code, message }], ...extra } };
}

/** The commercetools code for an error the simulator itself produces (fault knob, unknown route, bad JSON). */
export function vendorErrorBody(status: number, message: string): unknown {
  const code = status === 404 ? 'ResourceNotFound' : status === 400 ? 'InvalidJsonInput' : 'General';
  return vendorError(status, code, message).body;
}
