import type { HaltRecord, StoredHalt } from './HaltRecord';

/** What a halt or resume did: `applied` false when the state already was what was asked (or none). */
export interface HaltChange {
  applied: boolean;
  /** The state in force afterwards; null when nothing was ever halted. */
  current: StoredHalt | null;
}

/**
 * Where the halt state lives: Redis, shared by every instance and the `npm run rollout` command, or
 * memory (no REDIS_URL: one instance). Halting when already halted keeps the first halt (its figures
 * are the ones that explain it); resuming when not halted changes nothing.
 */
export interface HaltStore {
  readonly kind: 'redis' | 'memory';
  read(): Promise<StoredHalt | null>;
  halt(record: HaltRecord): Promise<HaltChange>;
  resume(record: HaltRecord): Promise<HaltChange>;
  close(): Promise<void>;
}

/** The state in this process only: the embedded default, where one instance is the whole deployment. */
export class MemoryHaltStore implements HaltStore {
  readonly kind = 'memory';
  private current: StoredHalt | null = null;

  read(): Promise<StoredHalt | null> {
    return Promise.resolve(this.current);
  }

  halt(record: HaltRecord): Promise<HaltChange> {
    return Promise.resolve(this.change('halted', record));
  }

  resume(record: HaltRecord): Promise<HaltChange> {
    return Promise.resolve(this.change('resumed', record));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private change(state: StoredHalt['state'], record: HaltRecord): HaltChange {
    const halted = this.current?.state === 'halted';
    if (state === 'halted' ? halted : !halted) return { applied: false, current: this.current };
    this.current = { state, generation: (this.current?.generation ?? 0) + 1, record };
    return { applied: true, current: this.current };
  }
}
