import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A handle on the collector without restarting node (or jest) with --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Heap still in use after full collections, in MB: what a leak grows. RSS is not used for the
 * verdict: V8 keeps freed pages and grows lazily on a 24 GB box, so RSS moves by tens of MB with no
 * leak at all (seen: +60 MB in a jest worker over a one-second phase).
 */
export function retainedHeapMB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}
