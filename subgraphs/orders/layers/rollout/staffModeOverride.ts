import { ErrorCode } from '../../../../platform/ErrorCode';
import { codedError } from '../../../../platform/codedError';
import { ORDERS_MODE_OVERRIDE_HEADER } from '../../../../platform/http/forwardedHeaders';
import type { CallContext } from '../../../CallContext';
import { ORDERS_MODES, isOrdersMode, type OrdersMode } from '../../config/ordersMode';

/**
 * The mode a staff member forces for this request (ORDERS_MODE_OVERRIDE_HEADER), or null when none
 * applies. Learners' headers are ignored, whatever they say: a learner must not be able to pick a
 * backend (nor probe which exist). Staff get BAD_USER_INPUT for a value that names no mode, rather than
 * a silent fallback that would make them believe they were looking at the backend they asked for.
 */
export function staffModeOverride(context: CallContext): OrdersMode | null {
  if (!context.identity.isStaff || context.modeOverride === undefined) return null;
  const value = context.modeOverride.trim().toLowerCase();
  if (value === '') return null;
  if (!isOrdersMode(value)) {
    throw codedError(
      ErrorCode.BAD_USER_INPUT,
      `${ORDERS_MODE_OVERRIDE_HEADER} must be one of: ${ORDERS_MODES.join(', ')}`,
      { header: ORDERS_MODE_OVERRIDE_HEADER },
    );
  }
  return value;
}
