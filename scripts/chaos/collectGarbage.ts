import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A handle on the collector without restarting node (or jest) with --expose-gc.
setFlagsFromString('--expose-gc');

/** A full garbage collection, now. */
export const collectGarbage = runInNewContext('gc') as () => void;
