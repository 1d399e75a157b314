import type { OrdersMode } from '../../config/ordersMode';

/** Why a rollout was halted: one of the two guarded rates, or an operator's command. */
export type HaltReason = 'error_rate' | 'mismatch_rate' | 'operator';
export const HALT_REASONS: readonly HaltReason[] = ['error_rate', 'mismatch_rate', 'operator'];

/** The figures that crossed a rule, kept with the halt so `/status` and the command can show them. */
export interface HaltFigures {
  /** The rolled-out mode that was being watched. */
  mode: OrdersMode;
  rate: number;
  /** Reads (error rate) or compared reads (mismatch rate) in the window. */
  samples: number;
  /** Errors or mismatches among them. */
  bad: number;
  threshold: number;
  windowMs: number;
  minSamples: number;
}

/** Who did what, when: the body of a halt or of the resume that ended one. */
export interface HaltRecord {
  /** Set on a halt; absent on a resume. */
  reason?: HaltReason;
  /** The instance that crossed a rule (`host:pid`), or `operator <user>@<host>`. */
  by: string;
  /** ISO 8601. */
  at: string;
  /** The operator's `--reason` text. */
  note?: string;
  /** Set on an automatic halt. */
  figures?: HaltFigures;
}

/** The shared state: the latest halt or resume, and a generation that every halt and resume raises. */
export interface StoredHalt {
  state: 'halted' | 'resumed';
  generation: number;
  record: HaltRecord;
}

/** Bounds on what one record may hold, so the key stays small (docs/operations.md "Rollout halts"). */
export const MAX_NOTE_CHARS = 200;
export const MAX_BY_CHARS = 128;
/** The encoded record never exceeds this; with the note and `by` bounded it cannot, checked anyway. */
export const MAX_RECORD_BYTES = 1536;

/**
 * An operator's `--reason`: 1–200 characters, no control characters (it is printed in logs and the
 * terminal as is). Returns the problem, or null when acceptable.
 */
export function noteProblem(note: string): string | null {
  if (note.trim() === '') return 'must not be empty';
  if (note.length > MAX_NOTE_CHARS) return `must be at most ${MAX_NOTE_CHARS} characters`;
  if (/[\u0000-\u001f\u007f]/.test(note)) return 'must not hold control characters (newlines, tabs…)';
  return null;
}

/** JSON of a record, its free-text parts cut to their bounds; throws if it would still be too big. */
export function encodeHaltRecord(record: HaltRecord): string {
  const bounded: HaltRecord = {
    ...record,
    by: record.by.slice(0, MAX_BY_CHARS),
    ...(record.note === undefined ? {} : { note: record.note.slice(0, MAX_NOTE_CHARS) }),
  };
  const text = JSON.stringify(bounded);
  if (Buffer.byteLength(text, 'utf8') > MAX_RECORD_BYTES) {
    throw new Error(`halt record over ${MAX_RECORD_BYTES} bytes`);
  }
  return text;
}

/** A record read back; anything unreadable becomes a record saying so rather than an exception. */
export function decodeHaltRecord(text: string | null | undefined): HaltRecord {
  try {
    const value = JSON.parse(text ?? '') as HaltRecord;
    if (typeof value === 'object' && value !== null && typeof value.by === 'string') return value;
  } catch {
    // fall through
  }
  return { by: 'unknown', at: new Date(0).toISOString(), note: 'unreadable halt record' };
}
