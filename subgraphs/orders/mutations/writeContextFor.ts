import type { WriteContext } from '../port/OrderWrites';
import type { MutationCall } from './MutationCall';
import type { OrderMutationsDeps } from './OrderMutationsDeps';

type ContextDeps = Pick<OrderMutationsDeps, 'ledger' | 'service'>;

/** The call's own identity upstream, with the refund ledger when one is configured. */
export function writeContextFor(
  deps: Pick<ContextDeps, 'ledger'>,
  call: MutationCall,
  audit: WriteContext['audit'],
): WriteContext {
  return {
    identity: call.identity,
    requestId: call.requestId,
    idempotencyKey: call.idempotencyKey,
    audit,
    ...(deps.ledger ? { ledger: deps.ledger } : {}),
  };
}

/** As `writeContextFor`, plus the service user for what the caller's own token may not do upstream. */
export function serviceContextFor(
  deps: ContextDeps,
  call: MutationCall,
  audit: WriteContext['audit'],
): WriteContext {
  return { ...writeContextFor(deps, call, audit), service: deps.service };
}
