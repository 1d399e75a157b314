/** An AbortSignal that fires at a deadline or when an outer signal does, and tells which it was. */
export interface DeadlineSignal {
  signal: AbortSignal;
  /** True once the deadline itself fired (not the outer signal). */
  readonly timedOut: boolean;
  /** Clears the timer and detaches from the outer signal; call it in `finally`. */
  dispose(): void;
}

/**
 * Why not `AbortSignal.any([outer, AbortSignal.timeout(ms)])`: on Node 20 a timeout signal held only
 * by the composite can be garbage-collected before it fires (nodejs/node#57736, fixed in Node 24), so
 * a GC while an upstream hangs silently removes the deadline and the call waits for the next one out.
 * A plain timer is held by the event loop until it fires or is cleared, whatever the collector does.
 */
export function deadlineSignal(ms: number, outer?: AbortSignal): DeadlineSignal {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`deadline of ${ms} ms passed`, 'TimeoutError'));
  }, ms);
  const onOuterAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    dispose() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}
