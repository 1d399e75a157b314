import type { Identity } from '../../platform/auth/Identity';
import { requireIdentity } from '../requestBasics';
import type { OrdersLoaders } from './createOrdersLoaders';
import type { PartialFailure } from './plugins/reportPartialFailures';
import type { MutationContext } from './mutations/mutationResolvers';

export interface OrdersContext extends MutationContext {
  identity: Identity | null;
  requestId: string;
  /** Null for anonymous requests. */
  loaders: OrdersLoaders | null;
  /** Systems that failed while a field still answered (merged history); sent as errors with the data. */
  partialFailures: PartialFailure[];
}

/** The caller and their loaders, or UNAUTHENTICATED: every orders field needs a user. */
export function authorized(context: OrdersContext): { identity: Identity; loaders: OrdersLoaders } {
  const identity = requireIdentity(context.identity);
  if (!context.loaders) throw new Error('loaders missing for an authenticated request');
  return { identity, loaders: context.loaders };
}
