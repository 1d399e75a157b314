import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';

// The floors of docs/architecture.md hold: lint refuses an import that points up, and no product
// file reaches itself through its imports.

const ROOT = join(__dirname, '..', '..');
const PRODUCT = [
  'platform',
  'upstream',
  'idempotency',
  'schema',
  'subgraphs',
  'gateway',
  'colocated',
  'simulators',
];

interface Probe {
  /** Where the probe pretends to live. */
  file: string;
  imports: string;
}

/**
 * ESLint's Node API on each probe, as if the file were at `file` (lintText with a filePath: the
 * repository's config applies by path, and no file is written where a colleague's `eslint .` would
 * find it). In a child process: jest's sandbox cannot load eslint.config.mjs (a dynamic import()).
 */
async function restrictedImports(probes: readonly Probe[]): Promise<string[][]> {
  const script = `
    const { ESLint } = require('eslint');
    const probes = JSON.parse(process.argv[1]);
    (async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const out = [];
      for (const p of probes) {
        const code = "import { probe } from '" + p.imports + "';\\nexport const used = probe;\\n";
        const [result] = await eslint.lintText(code, { filePath: require('path').join(process.cwd(), p.file) });
        out.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, JSON.stringify(probes)], {
    cwd: ROOT,
  });
  return JSON.parse(stdout) as string[][];
}

describe('the floors, enforced by lint', () => {
  // One step up from each floor (and the gateway's HTTP-only rule), then one step down that must pass.
  const upward: Probe[] = [
    { file: 'platform/probe.ts', imports: '../upstream/Upstream' },
    { file: 'platform/http/probe.ts', imports: '../../upstream/UpstreamError' },
    { file: 'upstream/probe.ts', imports: '../idempotency/runIdempotent' },
    { file: 'idempotency/probe.ts', imports: '../subgraphs/orders/domain/Order' },
    { file: 'schema/probe.ts', imports: '../gateway/composeSupergraph' },
    { file: 'subgraphs/orders/domain/probe.ts', imports: '../../../gateway/GatewayContext' },
    { file: 'gateway/probe.ts', imports: '../subgraphs/CallContext' },
    { file: 'simulators/legacy/probe.ts', imports: '../../upstream/UpstreamError' },
    { file: 'simulators/probe.ts', imports: '../subgraphs/serviceIdentity/serviceIdentityConfig' },
    { file: 'subgraphs/orders/probe.ts', imports: '../../simulators/seed/createSeed' },
    // The rooms of subgraphs/orders/: the domain knows no other room, an adapter nothing that uses it.
    { file: 'subgraphs/orders/domain/probe.ts', imports: '../port/OrdersBackend' },
    {
      file: 'subgraphs/orders/backends/legacy/probe.ts',
      imports: '../../layers/routing/RoutingOrdersBackend',
    },
    { file: 'subgraphs/orders/backends/probe.ts', imports: '../queue/RefundJob' },
  ];
  const downward: Probe[] = [
    { file: 'upstream/probe.ts', imports: '../platform/ErrorCode' },
    { file: 'idempotency/probe.ts', imports: '../upstream/UpstreamError' },
    { file: 'subgraphs/orders/probe.ts', imports: '../../idempotency/runIdempotent' },
    { file: 'subgraphs/catalog/probe.ts', imports: '../../schema/readSubgraphSdl' },
    { file: 'gateway/probe.ts', imports: '../upstream/createUpstream' },
    { file: 'simulators/lms/probe.ts', imports: '../../platform/auth/lmsDevClient' },
    { file: 'test/probe.ts', imports: '../subgraphs/orders/createOrdersSubgraph' },
    { file: 'scripts/probe.ts', imports: '../gateway/createGateway' },
    { file: 'subgraphs/orders/layers/probe.ts', imports: '../backends/createOrderSystems' },
    { file: 'subgraphs/orders/backends/vendor/probe.ts', imports: '../../domain/mergeOrderPages' },
  ];
  let reported: string[][];
  beforeAll(async () => {
    reported = await restrictedImports([...upward, ...downward]);
  }, 60_000);

  it.each(upward.map((probe, i) => [probe.file, probe.imports, i] as const))(
    'reports %s importing %s',
    (_file, _imports, i) => {
      expect(reported[i]).toEqual([expect.stringContaining('docs/architecture.md')]);
    },
  );

  it.each(downward.map((probe, i) => [probe.file, probe.imports, upward.length + i] as const))(
    'lets %s import %s',
    (_file, _imports, i) => {
      expect(reported[i]).toEqual([]);
    },
  );
});

describe('imports among the product folders', () => {
  it('form no cycle', () => {
    const graph = importGraph(PRODUCT);
    expect(cyclesOf(graph)).toEqual([]);
  });
});

describe('docs/architecture.md', () => {
  it('names only folders that exist, and every product folder', () => {
    const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    // Folders written from the repository root, e.g. `subgraphs/orders/worker/`; `legacy/` inside a
    // sentence about the backends is relative to it and not checked.
    const top = new Set([...PRODUCT, 'scripts', 'bench', 'test', 'deploy', 'docs']);
    const named = [...doc.matchAll(/`((?:[a-z]+\/)+)`/g)]
      .map((m) => m[1] as string)
      .filter((folder) => top.has(folder.split('/')[0] as string));
    expect(named.filter((folder) => !existsSync(join(ROOT, folder)))).toEqual([]);
    for (const folder of PRODUCT) expect(named).toContain(`${folder}/`);
  });
});

/** Every .ts file under `folders` → the repository files it imports (type-only imports included). */
function importGraph(folders: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of folders.flatMap((folder) => tsFiles(join(ROOT, folder)))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map(({ fileName }) => fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => resolveImport(file, name))
      .filter((target): target is string => target !== undefined);
    graph.set(
      relative(ROOT, file),
      targets.map((target) => relative(ROOT, target)),
    );
  }
  return graph;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

/** Each cycle as the files in it (Tarjan's strongly connected components of more than one file, or a self-import). */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}
