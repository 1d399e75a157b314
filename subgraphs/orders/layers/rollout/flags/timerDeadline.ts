/** A read's deadline: `expired` settles when it passes, unless cancelled first. */
export interface Deadline {
  expired: Promise<void>;
  cancel(): void;
}

/** The deadline as a timer that does not hold the process open. */
export function timerDeadline(ms: number): Deadline {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return { expired, cancel: () => clearTimeout(timer) };
}
