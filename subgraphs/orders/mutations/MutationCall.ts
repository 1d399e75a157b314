import type { Identity } from '../../../platform/auth/Identity';

export interface MutationCall {
  identity: Identity;
  requestId: string;
  idempotencyKey: string;
}

export type Delivery = 'IMMEDIATE' | 'DEFERRED';
