/**
 * The subset of commercetools query predicates (docs/reference/vendor-commercetools.md) the simulator
 * understands: `a = "x"`, `!=`/`<>`, `<`, `<=`, `>`, `>=`, `in (…)`, `not in (…)`, `is defined`, `is not defined`,
 * `and`, `or`, `not(…)`, parentheses, nested fields `custom(fields(edx-lms_user_name = "x"))` and input
 * variables `:name` bound from `var.name` query parameters (a repeated `var.name` is a list).
 * A nested field that holds an array matches when any element does, as commercetools does.
 */
export type Predicate = (resource: unknown, vars: ReadonlyMap<string, readonly string[]>) => boolean;

export class PredicateError extends Error {
  readonly isPredicateError = true;
}

type Literal = string | number | boolean;
type Operand = { literal: Literal } | { list: Literal[] } | { variable: string };

const TOKEN =
  /\s*(?:("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?)|(:[A-Za-z_]\w*)|([A-Za-z_][\w-]*)|(<>|!=|<=|>=|[=<>(),]))/y;

const KINDS = ['string', 'number', 'variable', 'word', 'symbol'] as const;

interface Token {
  kind: (typeof KINDS)[number];
  text: string;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const text = input.trimEnd();
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new PredicateError(`unexpected input at ${at}: ${text.slice(at, at + 20)}`);
    const group = m.findIndex((g, i) => i > 0 && g !== undefined);
    tokens.push({ kind: KINDS[group - 1]!, text: m[group]! });
  }
  return tokens;
}

/** Compiles a predicate once; evaluating it throws PredicateError for an unbound input variable. */
export function parsePredicate(input: string): Predicate {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = (offset = 0) => tokens[pos + offset];
  const isWord = (word: string, offset = 0) => peek(offset)?.kind === 'word' && peek(offset)?.text === word;
  const expect = (text: string) => {
    if (peek()?.text !== text) throw new PredicateError(`expected "${text}" near token ${pos}`);
    pos++;
  };

  function orExpr(): Predicate {
    let left = andExpr();
    while (isWord('or')) {
      pos++;
      const [a, b] = [left, andExpr()];
      left = (r, v) => a(r, v) || b(r, v);
    }
    return left;
  }
  function andExpr(): Predicate {
    let left = unary();
    while (isWord('and')) {
      pos++;
      const [a, b] = [left, unary()];
      left = (r, v) => a(r, v) && b(r, v);
    }
    return left;
  }
  function unary(): Predicate {
    if (isWord('not') && peek(1)?.text === '(') {
      pos++;
      const inner = group();
      return (r, v) => !inner(r, v);
    }
    if (peek()?.text === '(') return group();
    return condition();
  }
  function group(): Predicate {
    expect('(');
    const inner = orExpr();
    expect(')');
    return inner;
  }
  function condition(): Predicate {
    const field = peek();
    if (field?.kind !== 'word') throw new PredicateError(`expected a field name near token ${pos}`);
    pos++;
    const name = field.text;
    if (peek()?.text === '(') {
      const inner = group();
      return (r, v) => anyOf(fieldOf(r, name), (item) => inner(item, v));
    }
    if (isWord('is')) {
      pos++;
      const negate = isWord('not') ? (pos++, true) : false;
      if (!isWord('defined')) throw new PredicateError('expected "defined"');
      pos++;
      return (r) => (fieldOf(r, name) !== undefined) !== negate;
    }
    if (isWord('in') || (isWord('not') && isWord('in', 1))) {
      const negate = isWord('not') ? ((pos += 2), true) : (pos++, false);
      const list = operand(true);
      return (r, v) => {
        const values = resolve(list, v);
        const actual = fieldOf(r, name);
        return anyOf(actual, (item) => values.some((value) => compare(item, value) === 0)) !== negate;
      };
    }
    const op = peek();
    const holds = op?.kind === 'symbol' ? HOLDS[op.text] : undefined;
    if (!holds) {
      throw new PredicateError(`expected an operator after ${name}`);
    }
    pos++;
    const right = operand(false);
    return (r, v) => {
      const value = resolve(right, v)[0];
      return anyOf(fieldOf(r, name), (item) => holds(compare(item, value)));
    };
  }
  function operand(list: boolean): Operand {
    const token = peek();
    if (token?.kind === 'variable') {
      pos++;
      return { variable: token.text.slice(1) };
    }
    if (list) {
      expect('(');
      const items = [literal()];
      while (peek()?.text === ',') {
        pos++;
        items.push(literal());
      }
      expect(')');
      return { list: items };
    }
    return { literal: literal() };
  }
  function literal(): Literal {
    const token = peek();
    pos++;
    if (token?.kind === 'string') return token.text.slice(1, -1).replace(/\\(.)/g, '$1');
    if (token?.kind === 'number') return Number(token.text);
    if (token?.kind === 'word' && (token.text === 'true' || token.text === 'false'))
      return token.text === 'true';
    throw new PredicateError(`expected a value near token ${pos - 1}`);
  }

  const predicate = orExpr();
  if (pos !== tokens.length) throw new PredicateError(`unexpected "${peek()?.text}" near token ${pos}`);
  return predicate;
}

function resolve(operand: Operand, vars: ReadonlyMap<string, readonly string[]>): Literal[] {
  if ('literal' in operand) return [operand.literal];
  if ('list' in operand) return operand.list;
  const values = vars.get(operand.variable);
  if (!values?.length) throw new PredicateError(`no value for input variable var.${operand.variable}`);
  return [...values];
}

function fieldOf(resource: unknown, name: string): unknown {
  return typeof resource === 'object' && resource !== null
    ? (resource as Record<string, unknown>)[name]
    : undefined;
}

function anyOf(value: unknown, test: (item: unknown) => boolean): boolean {
  return Array.isArray(value) ? value.some(test) : value !== undefined && test(value);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;

/** Timestamps compare as instants (the API mixes `2024-01-01` and `…T10:00:00.000Z`), the rest as values. */
function compare(actual: unknown, expected: Literal | undefined): number {
  if (
    typeof actual === 'string' &&
    typeof expected === 'string' &&
    ISO_DATE.test(actual) &&
    ISO_DATE.test(expected)
  ) {
    return Math.sign(Date.parse(actual) - Date.parse(expected));
  }
  if (typeof actual === 'number' && typeof expected === 'number') return Math.sign(actual - expected);
  // Booleans are equal or not; ordering them means nothing, so "different" is all we say.
  if (typeof actual === 'boolean' || typeof expected === 'boolean') return actual === expected ? 0 : 1;
  const [a, b] = [String(actual), String(expected)];
  return a < b ? -1 : a > b ? 1 : 0;
}

const HOLDS: Readonly<Record<string, (order: number) => boolean>> = {
  '=': (order) => order === 0,
  '!=': (order) => order !== 0,
  '<>': (order) => order !== 0,
  '<': (order) => order < 0,
  '<=': (order) => order <= 0,
  '>': (order) => order > 0,
  '>=': (order) => order >= 0,
};
