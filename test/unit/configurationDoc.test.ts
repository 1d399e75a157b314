import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { ErrorCode } from '../../platform/ErrorCode';

// Keeps docs/configuration.md honest: the variables are read from the sources, never copied here, so a
// variable added to the code and not the doc, or documented and no longer read, fails this test. The
// sources are every .ts file the build compiles (tsconfig.build.json), wherever folders move.

const ROOT = join(__dirname, '..', '..');
const DOC = 'docs/configuration.md';
type ReadSource = (path: string) => string;
const read: ReadSource = (path) => readFileSync(join(ROOT, path), 'utf8');

/** Every .ts file (declarations aside) under the folders the build compiles, as repository paths. */
function sourceFiles(): string[] {
  const { include } = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir)).flatMap((name) => {
      const path = posix.join(dir, name);
      if (statSync(join(ROOT, path)).isDirectory()) return walk(path);
      return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
    });
  return include.flatMap(walk).sort();
}

// ---- reading TypeScript just enough: bracket groups and top-level arguments

const OPEN: Record<string, string> = { '(': ')', '{': '}', '[': ']' };

/**
 * Walks `source` from `from`, calling `visit` for every character outside strings and comments; stops
 * when `visit` returns true and answers that index (-1 at the end). Template literals are skipped
 * whole, `${…}` included: no shape or argument list here holds a key inside one.
 */
function scanCode(source: string, from: number, visit: (ch: string, i: number) => boolean): number {
  for (let i = from; i < source.length; i++) {
    const ch = source[i] as string;
    if (ch === '/' && source[i + 1] === '/') {
      i = source.indexOf('\n', i);
      if (i < 0) return -1;
    } else if (ch === '/' && source[i + 1] === '*') {
      i = source.indexOf('*/', i + 2) + 1;
      if (i <= 0) return -1;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      for (i++; i < source.length && source[i] !== ch; i++) if (source[i] === '\\') i++;
    } else if (visit(ch, i)) {
      return i;
    }
  }
  return -1;
}

/** The text inside the bracket group that opens at `open` (an index of `(`, `{` or `[`). */
function groupAt(source: string, open: number): string {
  const stack: string[] = [];
  const end = scanCode(source, open, (ch) => {
    if (OPEN[ch]) stack.push(OPEN[ch] as string);
    else if (ch === stack[stack.length - 1]) stack.pop();
    return stack.length === 0;
  });
  if (end < 0) throw new Error(`unbalanced group at ${open}`);
  return source.slice(open + 1, end);
}

/** A call's arguments split at its top-level commas, trimmed. */
function argumentsOf(group: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  scanCode(group, 0, (ch, i) => {
    if (OPEN[ch]) depth++;
    else if (ch === ')' || ch === '}' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      args.push(group.slice(start, i).trim());
      start = i + 1;
    }
    return false;
  });
  args.push(group.slice(start).trim());
  return args.filter((a) => a !== '');
}

/** Each call of `name(…)` in the source (not its declaration), as its arguments. */
function callsOf(source: string, name: string): string[][] {
  const calls: string[][] = [];
  for (const m of source.matchAll(new RegExp(`(?<!function )\\b${name}(?:<[^>(]*>)?\\(`, 'g'))) {
    calls.push(argumentsOf(groupAt(source, (m.index ?? 0) + m[0].length - 1)));
  }
  return calls;
}

/** An environment argument that is an object literal with no spread reads nothing from the environment. */
const readsEnvironment = (arg: string | undefined) =>
  arg !== undefined && !(arg.startsWith('{') && !arg.includes('...'));

/** The text of a parseEnv shape: the literal itself, or the object a `const` of that name holds. */
function shapeText(source: string, arg: string): string {
  if (arg.startsWith('{')) return arg;
  const declared = new RegExp(`(?:const|let)\\s+${arg}\\b[^=]*=\\s*\\{`).exec(source);
  if (!declared) throw new Error(`parseEnv shape "${arg}" is not an object declared in the same file`);
  return groupAt(source, declared.index + declared[0].length - 1);
}

interface CodeVariables {
  /** Plain names: parseEnv shape keys and direct reads of the environment. */
  names: Set<string>;
  /** The `<PREFIX>` of each parseUpstreamEnv call on the real environment. */
  prefixes: Set<string>;
  /** The `<SUFFIX>` of each per-upstream variable (upstreamEnv's `v('…')` keys). */
  suffixes: Set<string>;
}

/**
 * What the code reads from the environment (platform/config/parseEnv.ts is the one parser):
 * - the keys of every parseEnv shape handed the environment (a literal `{…}` without spread is not it);
 * - for each parseUpstreamEnv('PREFIX', …) on the environment, `PREFIX_<SUFFIX>` for each computed
 *   key `[v('SUFFIX')]` of the shape in the file that declares parseUpstreamEnv;
 * - direct reads: `process.env.X`, and `.X` on anything declared as an `Env` (e.g. `source.NODE_ENV`).
 */
function codeVariables(files: string[], readSource: ReadSource = read): CodeVariables {
  const names = new Set<string>();
  const prefixes = new Set<string>();
  const suffixes = new Set<string>();
  for (const file of files) {
    const source = readSource(file);
    if (/export function parseUpstreamEnv\b/.test(source)) {
      for (const m of source.matchAll(/\[v\('([A-Z][A-Z0-9_]*)'\)\]\s*:/g)) suffixes.add(m[1] as string);
    }
    for (const [shape, envArg] of callsOf(source, 'parseEnv')) {
      if (shape === undefined || !readsEnvironment(envArg)) continue;
      // A key starts a line or follows `{` or `,`: prettier keeps a short shape on one line.
      for (const m of shapeText(source, shape).matchAll(/(?:^|[{,])\s*([A-Z][A-Z0-9_]*)\s*:/gm)) {
        names.add(m[1] as string);
      }
    }
    for (const args of callsOf(source, 'parseUpstreamEnv')) {
      const prefix = /^'([A-Z][A-Z0-9_]*)'$/.exec(args[0] ?? '')?.[1];
      if (prefix && readsEnvironment(args[3])) prefixes.add(prefix);
    }
    for (const m of source.matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*'([A-Z][A-Z0-9_]*)'\s*\])/g)) {
      names.add((m[1] ?? m[2]) as string);
    }
    for (const declared of source.matchAll(/\b([A-Za-z_]\w*)\??\s*:\s*Env\b/g)) {
      const id = declared[1] as string;
      const reads = new RegExp(`\\b${id}(?:\\.([A-Z][A-Z0-9_]*)\\b|\\[\\s*'([A-Z][A-Z0-9_]*)'\\s*\\])`, 'g');
      for (const m of source.matchAll(reads)) names.add((m[1] ?? m[2]) as string);
    }
  }
  return { names, prefixes, suffixes };
}

/** Every variable name the code reads, per-upstream patterns expanded. */
const expand = (v: CodeVariables | DocVariables): Set<string> =>
  new Set([...v.names, ...[...v.prefixes].flatMap((p) => [...v.suffixes].map((s) => `${p}_${s}`))]);

// ---- reading the doc

interface DocVariables extends CodeVariables {
  /** Each name as often as a table row lists it (pattern rows and prefix rows included). */
  rows: string[];
}

/**
 * The variables the doc's tables document: the first cell of each body row. `NAME` is a variable,
 * `<PREFIX>_SUFFIX` a per-upstream pattern, `PREFIX_*` one of the prefixes it expands with. Rows whose
 * first cell holds none of these (tables of other things) are not read.
 */
function docVariables(doc: string): DocVariables {
  const v: DocVariables = { names: new Set(), prefixes: new Set(), suffixes: new Set(), rows: [] };
  const lines = doc.split('\n');
  lines.forEach((line, i) => {
    if (!line.startsWith('|') || SEPARATOR.test(line) || !belowSeparator(lines, i)) return;
    const first = line.split('|')[1] ?? '';
    for (const m of first.matchAll(/`([^`]+)`/g)) {
      const token = m[1] as string;
      const pattern = /^<PREFIX>_([A-Z][A-Z0-9_]*)$/.exec(token);
      const prefix = /^([A-Z][A-Z0-9_]*)_\*$/.exec(token);
      if (pattern) v.suffixes.add(pattern[1] as string);
      else if (prefix) v.prefixes.add(prefix[1] as string);
      else if (/^[A-Z][A-Z0-9_]*$/.test(token)) v.names.add(token);
      else continue;
      v.rows.push(token);
    }
  });
  return v;
}

const SEPARATOR = /^\|(\s*:?-+:?\s*\|)+\s*$/;

/** Whether a table row is in a table's body: a separator row sits above it in the same table. */
function belowSeparator(lines: string[], index: number): boolean {
  for (let i = index - 1; i >= 0 && (lines[i] ?? '').startsWith('|'); i--) {
    if (SEPARATOR.test(lines[i] ?? '')) return true;
  }
  return false;
}

/** What the doc and the code disagree on, each line naming the variable. */
function differences(code: CodeVariables, doc: DocVariables): string[] {
  const inCode = expand(code);
  const inDoc = expand(doc);
  return [
    ...[...inCode].filter((n) => !inDoc.has(n)).map((n) => `read by the code, not in ${DOC}: ${n}`),
    ...[...inDoc].filter((n) => !inCode.has(n)).map((n) => `in ${DOC}, not read by the code: ${n}`),
  ].sort();
}

/**
 * Names in the doc's prose that look like variables (capitals with an underscore) but are none of the
 * documented ones: a stale mention. Error codes are allowed; `NAME_*` is allowed when it prefixes
 * documented variables.
 */
function strayNames(doc: string, documented: DocVariables): string[] {
  const known = expand(documented);
  const codes = new Set<string>(Object.values(ErrorCode));
  const stray = new Set<string>();
  for (const m of doc.matchAll(/\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(_\*|\b)/g)) {
    const name = m[1] as string;
    const ok =
      m[2] === '_*'
        ? [...known].some((k) => k.startsWith(`${name}_`))
        : known.has(name) || codes.has(name) || documented.prefixes.has(name);
    if (!ok) stray.add(name);
  }
  return [...stray].sort();
}

// ---- the checks

const FILES = sourceFiles();
const CODE = codeVariables(FILES);
const DOC_TEXT = read(DOC);
const DOCUMENTED = docVariables(DOC_TEXT);

/** The differences an edit adds to the doc's present ones: the self-checks do not lean on a clean doc. */
const added = (problems: string[], baseline: string[]) => problems.filter((p) => !baseline.includes(p));

describe('docs/configuration.md', () => {
  it('the scanners find what they should (an empty result would pass vacuously)', () => {
    const names = expand(CODE);
    expect(names.size).toBeGreaterThan(80);
    // One of each way a variable is read: a shape key, a direct read, an Env read, an upstream pattern.
    for (const name of ['JWT_SECRET', 'REDIS_URL', 'LOG_LEVEL', 'NODE_ENV', 'LEGACY_ECOMMERCE_TIMEOUT_MS']) {
      expect(names).toContain(name);
    }
    expect(CODE.suffixes.size).toBeGreaterThanOrEqual(10);
    expect(CODE.prefixes).toContain('LMS_OAUTH2');
    // parseUpstreamEnv('CHAOS', …, {}) in the chaos experiments reads nothing from the environment.
    expect(CODE.prefixes).not.toContain('CHAOS');
    expect(DOCUMENTED.rows.length).toBeGreaterThan(60);
    expect(DOCUMENTED.suffixes.size).toBeGreaterThanOrEqual(10);
  });

  it('documents every variable the code reads, and nothing the code does not read', () => {
    expect(differences(CODE, DOCUMENTED)).toEqual([]);
    // The per-upstream pattern: the same prefixes and suffixes, not merely the same expansion.
    expect([...DOCUMENTED.prefixes].sort()).toEqual([...CODE.prefixes].sort());
    expect([...DOCUMENTED.suffixes].sort()).toEqual([...CODE.suffixes].sort());
  });

  it('documents each variable once', () => {
    const seen = new Map<string, number>();
    for (const name of DOCUMENTED.rows) seen.set(name, (seen.get(name) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1).map(([name]) => name)).toEqual([]);
  });

  it('names no other variable in its prose, and keeps its table lines short', () => {
    expect(strayNames(DOC_TEXT, DOCUMENTED)).toEqual([]);
    const long = DOC_TEXT.split('\n').filter((line) => line.startsWith('|') && line.length > 200);
    expect(long).toEqual([]);
  });

  it('would fail if the code read a new variable or renamed one the doc lists', () => {
    const baseline = differences(CODE, DOCUMENTED);
    const after = (readSource: ReadSource) =>
      added(differences(codeVariables(FILES, readSource), DOCUMENTED), baseline);
    const editing =
      (file: string, edit: (text: string) => string): ReadSource =>
      (path) =>
        path === file ? edit(read(path)) : read(path);
    // A new key in the shape that parses JWT_SECRET, wherever that shape lives.
    const shapeFile = FILES.find((f) => codeVariables([f]).names.has('JWT_SECRET')) as string;
    const newKey = editing(shapeFile, (t) =>
      t.replace(/\bparseEnv(?:<[^>(]*>)?\(\s*\{/, '$&\n      SWITCHYARD_NEW_KNOB: z.string(),'),
    );
    expect(after(newKey)).toEqual([`read by the code, not in ${DOC}: SWITCHYARD_NEW_KNOB`]);
    const direct = editing(FILES[0] as string, (t) => `${t}\nconst knob = process.env.SWITCHYARD_DIRECT;\n`);
    expect(after(direct)).toEqual([`read by the code, not in ${DOC}: SWITCHYARD_DIRECT`]);
    const upstreamFile = FILES.find((f) => /export function parseUpstreamEnv\b/.test(read(f))) as string;
    const renamed = after(editing(upstreamFile, (t) => t.replace("[v('TIMEOUT_MS')]", "[v('ATTEMPT_MS')]")));
    expect(renamed).toContain(`read by the code, not in ${DOC}: LEGACY_ECOMMERCE_ATTEMPT_MS`);
    expect(renamed).toContain(`in ${DOC}, not read by the code: LEGACY_ECOMMERCE_TIMEOUT_MS`);
  });

  it('would fail if the doc listed a variable twice, one the code does not read, or a stale name', () => {
    const table = '| variable | default | meaning |\n| --- | --- | --- |\n';
    const doc = `${DOC_TEXT}\n\n${table}| \`SWITCHYARD_GONE\` | 1 | x |\n| \`JWT_SECRET\` | x | x |\n`;
    const documented = docVariables(doc);
    expect(added(differences(CODE, documented), differences(CODE, DOCUMENTED))).toEqual([
      `in ${DOC}, not read by the code: SWITCHYARD_GONE`,
    ]);
    expect(documented.rows.filter((n) => n === 'JWT_SECRET')).toHaveLength(2);
    const stray = strayNames(`${DOC_TEXT}\nSet \`SWITCHYARD_OLD_NAME=1\`.`, DOCUMENTED);
    expect(added(stray, strayNames(DOC_TEXT, DOCUMENTED))).toEqual(['SWITCHYARD_OLD_NAME']);
  });
});
