import type { OperationBreak } from '../../schema/checks/operationBreaks';

/** One line a person can act on: who breaks, and on which field. */
export function describeBreak(broken: OperationBreak): string {
  const fields = broken.coordinates.length > 0 ? `, field ${broken.coordinates.join(', ')}` : '';
  return `client ${broken.client}, operation ${broken.operation}${fields}: ${broken.reasons[0] ?? 'does not validate'}`;
}
