import { ErrorCode } from '../../../../platform/ErrorCode';
import { codedError } from '../../../../platform/codedError';
import type { CallContext } from '../../../CallContext';
import { ORDERS_BACKENDS, isOrdersBackendName, type OrdersBackendName } from '../../ordersBackendName';

/** The request header a staff member sets to force an orders mode (forwarded by the gateway). */
export const BACKEND_OVERRIDE_HEADER = 'x-switchyard-orders-backend';

/**
 * The mode a staff member forces for this request, or null when none applies. Learners' headers are
 * ignored, whatever they say: a learner must not be able to pick a backend (nor probe which exist).
 * Staff get BAD_USER_INPUT for a value that names no mode, rather than a silent fallback that would
 * make them believe they were looking at the backend they asked for.
 */
export function staffBackendOverride(context: CallContext): OrdersBackendName | null {
  if (!context.identity.isStaff || context.backendOverride === undefined) return null;
  const value = context.backendOverride.trim().toLowerCase();
  if (value === '') return null;
  if (!isOrdersBackendName(value)) {
    throw codedError(
      ErrorCode.BAD_USER_INPUT,
      `${BACKEND_OVERRIDE_HEADER} must be one of: ${ORDERS_BACKENDS.join(', ')}`,
      { header: BACKEND_OVERRIDE_HEADER },
    );
  }
  return value;
}
