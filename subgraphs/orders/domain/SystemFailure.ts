import type { CodedFailure } from '../../../platform/CodedFailure';

/**
 * A system that failed while another answered (merged history): the page holds only the others'
 * orders, and the response carries this beside them, as a coded error at the field's path. The domain
 * needs its code, what a client may see (which system; whether to try again) and what to log, not
 * which kit raised it.
 */
export type SystemFailure = CodedFailure;
