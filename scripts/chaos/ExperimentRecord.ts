export type Verdict = 'pass' | 'fail';
/**
 * `timing`: a latency or elapsed-time bound; `baseline`: the success rate of a phase with no fault
 * injected, which only a starved box misses (its requests run into the deadline); `exact`: counts,
 * codes, states (the default). Misses of the first two may earn fresh attempts (see runExperiments).
 */
export type CheckKind = 'timing' | 'baseline' | 'exact';
export type Figure = number | string | boolean | null;

export interface ExperimentResult {
  id: string;
  title: string;
  verdict: Verdict;
  /** What was measured (latencies in ms, counts, rates 0-1). */
  figures: Record<string, Figure>;
  /** The bound each checked figure had to meet, e.g. `"<= 110"`, keyed like the figure. */
  thresholds: Record<string, string>;
  /** Names of the checks that failed; empty on a pass. */
  failed: string[];
  /**
   * Checks on latencies and elapsed times: on a shared box another process can take the CPU for
   * hundreds of ms and sink these alone, so a caller may re-run an experiment that failed only here.
   */
  timingChecks: string[];
  /** Checks on a no-fault phase: missing one voids the attempt's other checks (see runExperiments). */
  baselineChecks: string[];
  durationMs: number;
  /**
   * Set when this is a later attempt on a fresh stack: what each earlier attempt missed (see
   * runExperiments). Kept in the report so a re-run is never silent.
   */
  earlierAttemptsMissed?: Record<string, Figure>[];
}

/**
 * Collects one experiment's figures and checks. A check records the figure, its bound and whether it
 * held, so the report always shows the number next to the limit it was judged against — a verdict
 * without its figures would not tell a near miss from a collapse.
 */
export class ExperimentRecord {
  private readonly figures: Record<string, Figure> = {};
  private readonly thresholds: Record<string, string> = {};
  private readonly failed: string[] = [];
  private readonly timingChecks: string[] = [];
  private readonly baselineChecks: string[] = [];
  private readonly startedAt = Date.now();

  constructor(
    readonly id: string,
    readonly title: string,
  ) {}

  figure(name: string, value: Figure): void {
    this.figures[name] = typeof value === 'number' ? round(value) : value;
  }

  atMost(name: string, value: number, limit: number, kind?: CheckKind): void {
    this.check(name, value, `<= ${round(limit)}`, value <= limit, kind);
  }

  atLeast(name: string, value: number, limit: number, kind?: CheckKind): void {
    this.check(name, value, `>= ${round(limit)}`, value >= limit, kind);
  }

  equals(name: string, value: Figure, expected: Figure, kind?: CheckKind): void {
    this.check(name, value, `== ${String(expected)}`, value === expected, kind);
  }

  between(name: string, value: number, low: number, high: number, kind?: CheckKind): void {
    this.check(name, value, `in [${round(low)}, ${round(high)}]`, value >= low && value <= high, kind);
  }

  check(name: string, value: Figure, threshold: string, ok: boolean, kind: CheckKind = 'exact'): void {
    this.figure(name, value);
    this.thresholds[name] = threshold;
    if (kind === 'timing') this.timingChecks.push(name);
    if (kind === 'baseline') this.baselineChecks.push(name);
    if (!ok) this.failed.push(name);
  }

  result(): ExperimentResult {
    return {
      id: this.id,
      title: this.title,
      verdict: this.failed.length === 0 ? 'pass' : 'fail',
      figures: { ...this.figures },
      thresholds: { ...this.thresholds },
      failed: [...this.failed],
      timingChecks: [...this.timingChecks],
      baselineChecks: [...this.baselineChecks],
      durationMs: Date.now() - this.startedAt,
    };
  }
}

/** A crash inside an experiment is a failed verdict with the reason, not a dead report. */
export function crashed(id: string, title: string, error: unknown): ExperimentResult {
  const record = new ExperimentRecord(id, title);
  const text = String((error as Error)?.stack ?? error);
  record.check('crashed', text.split('\n')[0]!.slice(0, 200), 'no exception', false);
  record.figure('stack', text.slice(0, 2000));
  return record.result();
}

const round = (n: number) => (Number.isInteger(n) ? n : Math.round(n * 100) / 100);
