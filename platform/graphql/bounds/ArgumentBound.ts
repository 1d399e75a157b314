/**
 * The largest value an argument may carry, declared once per argument (schema/argumentBounds.ts) and
 * enforced before anything runs (enforceArgumentBounds), at the gateway and again at each subgraph.
 * `source` says where the bound comes from (the real system's limit, or ours and why): it is what
 * docs/reference/argument-bounds.md cites.
 */
export type ArgumentBound = StringBound | IntBound | ListBound | InputBound | EnumBound | BooleanBound;

export interface StringBound {
  kind: 'string';
  /** @default 0 */
  minLength?: number;
  /** In characters (UTF-16 code units, as `String.length` counts them). */
  maxLength: number;
  /** The whole value must match; said to the caller by `patternName`. */
  pattern?: RegExp;
  /** What the pattern stands for, for the error message, e.g. "a course run key (course-v1:Org+Course+Run)". */
  patternName?: string;
  source: string;
}

export interface IntBound {
  kind: 'int';
  min: number;
  max: number;
  source: string;
}

export interface ListBound {
  kind: 'list';
  maxItems: number;
  items: ArgumentBound;
  source: string;
}

/** An input object: each field bounded on its own. */
export interface InputBound {
  kind: 'input';
  fields: Readonly<Record<string, ArgumentBound>>;
}

/** An enum is bounded by its type: the bound is declared only so that every argument has one. */
export interface EnumBound {
  kind: 'enum';
  source: string;
}

/** A Boolean is bounded by its type too; declared so that every argument has a bound. */
export interface BooleanBound {
  kind: 'boolean';
  source: string;
}

/** `Type.field` (a schema coordinate: `Query.order`, `Mutation.requestRefund`) → its arguments' bounds. */
export type ArgumentBounds = Readonly<Record<string, Readonly<Record<string, ArgumentBound>>>>;

/** One value over its bound: the argument's path (`input.orderNumber`), the bound, and what to tell the caller. */
export interface BoundViolation {
  /** The field's schema coordinate, e.g. `Mutation.requestRefund`. */
  field: string;
  /** The argument's path below the field: `orderNumber`, `input.alsoRefund`, `input.alsoRefund.3`. */
  argument: string;
  /** The bound broken, as the client may read it, e.g. `{ maxLength: 128 }`. */
  bound: Readonly<Record<string, number | string>>;
  message: string;
}
