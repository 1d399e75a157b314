import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parseGatewayConfig } from '../../gateway/gatewayConfig';
import type { Env } from '../../platform/config/parseEnv';
import { parseCatalogConfig } from '../../subgraphs/catalog/catalogConfig';
import { parseOrdersConfig } from '../../subgraphs/orders/ordersConfig';
import { configError } from '../helpers/configError';
import { at, body, flowList, items, keys, toLines, value, type Line, type Node } from '../helpers/yamlSubset';

// Keeps deploy/ honest: variable names, ports, probe paths and entry points are read from the sources,
// never copied here, so a rename in the code fails this test instead of a rollout. No YAML library is a
// dependency, so the manifests are read line by line (test/helpers/yamlSubset.ts).

const ROOT = join(__dirname, '..', '..');
type ReadSource = (path: string) => string;
const read: ReadSource = (path) => readFileSync(join(ROOT, path), 'utf8');

// ---- the manifests

interface Manifest {
  file: string;
  kind: string;
  name: string;
  lines: Line[];
}
const K8S = 'deploy/k8s';
const FILES = readdirSync(join(ROOT, K8S)).filter((f) => f.endsWith('.yaml'));
const MANIFESTS: Manifest[] = FILES.flatMap((file) =>
  read(`${K8S}/${file}`)
    .split(/^---$/m)
    .map(toLines)
    .filter((lines) => lines.length > 0)
    .map((lines) => ({
      file,
      lines,
      kind: value(lines, 'kind') ?? '',
      name: value(lines, 'metadata', 'name') ?? '',
    })),
);
const ofKind = (kind: string) => MANIFESTS.filter((m) => m.kind === kind);

/** The variables a ConfigMap or Secret holds, or undefined when there is no such object. */
function dataOf(kind: string, name: string): Map<string, string> | undefined {
  const object = ofKind(kind).find((m) => m.name === name);
  if (!object) return undefined;
  const data = ['data', 'stringData'].flatMap((k) => [...keys(body(object.lines, k))]);
  return new Map(data.map(([key, node]) => [key, node.value]));
}

interface Ref {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  key?: string;
}
interface Workload {
  name: string;
  /** The main.ts its command runs. */
  entry: string;
  command: string[];
  image: string | undefined;
  replicas: number;
  labels: Map<string, Node>;
  annotations: Map<string, Node>;
  pod: Line[];
  container: Line[];
  envFrom: Ref[];
  env: { name: string; value?: string; from?: Ref }[];
  ports: { name: string; containerPort: number }[];
  probes: { kind: string; path: string; port: string }[];
}

const refOf = (node: Node | undefined, kind: Ref['kind']): Ref | undefined =>
  node && { kind, name: value(node.body, 'name') ?? '', key: value(node.body, 'key') };

function workload(m: Manifest): Workload {
  const template = body(m.lines, 'spec', 'template');
  const pod = body(template, 'spec');
  const containers = items(body(pod, 'containers'));
  // One container per pod is the convention here, so the reader never has to tell containers apart.
  if (containers.length !== 1) throw new Error(`${m.name}: expected exactly one container`);
  const c = containers[0] as Line[];
  const command = flowList(value(c, 'command'));
  return {
    name: m.name,
    entry: (command[1] ?? '').replace(/^dist\//, '').replace(/\.js$/, '.ts'),
    command,
    image: value(c, 'image'),
    replicas: Number(value(m.lines, 'spec', 'replicas') ?? 1),
    labels: keys(body(template, 'metadata', 'labels')),
    annotations: keys(body(template, 'metadata', 'annotations')),
    pod,
    container: c,
    envFrom: items(body(c, 'envFrom')).map((item) => {
      const k = keys(item);
      const ref = refOf(k.get('configMapRef'), 'ConfigMap') ?? refOf(k.get('secretRef'), 'Secret');
      if (!ref) throw new Error(`${m.name}: envFrom needs configMapRef or secretRef`);
      return ref;
    }),
    env: items(body(c, 'env')).map((item) => ({
      name: value(item, 'name') ?? '',
      value: value(item, 'value'),
      from:
        refOf(at(item, 'valueFrom', 'configMapKeyRef'), 'ConfigMap') ??
        refOf(at(item, 'valueFrom', 'secretKeyRef'), 'Secret'),
    })),
    ports: items(body(c, 'ports')).map((p) => ({
      name: value(p, 'name') ?? '',
      containerPort: Number(value(p, 'containerPort')),
    })),
    probes: ['livenessProbe', 'readinessProbe', 'startupProbe'].flatMap((kind) =>
      at(c, kind)
        ? [
            {
              kind,
              path: value(c, kind, 'httpGet', 'path') ?? '',
              port: value(c, kind, 'httpGet', 'port') ?? '',
            },
          ]
        : [],
    ),
  };
}
const WORKLOADS = ofKind('Deployment').map(workload);

/** Every variable a Deployment's container gets, whole objects (envFrom) and single entries alike. */
const givenNames = (w: Workload): string[] => [
  ...w.envFrom.flatMap((ref) => [...(dataOf(ref.kind, ref.name)?.keys() ?? [])]),
  ...w.env.map((e) => e.name),
];

// Values for the Secret's keys, so the parsers can be run on a filled-in template.
const TEST_SECRETS: Record<string, string> = {
  JWT_SECRET: 'a-test-secret-of-at-least-16-chars',
  VENDOR_CLIENT_SECRET: 'test-client-secret',
  REDIS_URL: 'redis://redis.example.org:6379/0',
};

/** The environment a Deployment's process would see (from the template's placeholders, or filled in). */
function envOf(w: Workload, secrets: 'template' | 'filled'): Env {
  const lookup = (ref: Ref, key: string) =>
    ref.kind === 'Secret' && secrets === 'filled' ? TEST_SECRETS[key] : dataOf(ref.kind, ref.name)?.get(key);
  const env: Record<string, string | undefined> = {};
  for (const ref of w.envFrom)
    for (const key of dataOf(ref.kind, ref.name)?.keys() ?? []) env[key] = lookup(ref, key);
  for (const e of w.env) env[e.name] = e.from ? lookup(e.from, e.from.key ?? '') : e.value;
  return env;
}

// ---- the code

/** Each component's main.ts and the parser it hands process.env to. */
const PARSERS: Record<string, (env: Env) => object> = {
  'gateway/main.ts': parseGatewayConfig,
  'subgraphs/orders/main.ts': parseOrdersConfig,
  'subgraphs/catalog/main.ts': parseCatalogConfig,
  'subgraphs/orders/deferred/main.ts': parseOrdersConfig,
};
const listens = (entry: string) => /\blisten\(/.test(read(entry));

/** Where each component's parsed configuration holds the port its main.ts listens on. */
const PORT_FIELDS: Record<string, string> = {
  'gateway/main.ts': 'port',
  'subgraphs/orders/main.ts': 'port',
  'subgraphs/catalog/main.ts': 'port',
  'subgraphs/orders/deferred/main.ts': 'mutations.workerPort',
};
/** The port a Deployment's process would listen on, from the configuration it is given. */
function portOf(w: Workload): number {
  const field = PORT_FIELDS[w.entry] ?? '';
  const config = PARSERS[w.entry]?.(envOf(w, 'filled'));
  return field.split('.').reduce((o: any, k) => o?.[k], config) as number;
}

/** The repo's .ts files reachable from an entry through value imports (type imports carry no code). */
function reachable(entry: string, readSource: ReadSource = read): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readSource(file).matchAll(
      /^(?:import|export)\s+(?!type\s)[^;]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gm,
    )) {
      const target = posix.join(posix.dirname(file), m[1] as string);
      queue.push(existsSync(join(ROOT, `${target}.ts`)) ? `${target}.ts` : `${target}/index.ts`);
    }
  }
  return [...seen];
}

/**
 * The variables a component reads: the keys of every parseEnv shape it reaches (platform/config/parseEnv.ts
 * — a key whose value is a string literal is a default handed in, not a read), `<PREFIX>_<SUFFIX>` for each
 * parseUpstreamEnv('PREFIX', …) call and each key of upstreamEnv.ts's shape, and direct process.env reads.
 */
function envReadBy(entry: string, readSource: ReadSource = read): Set<string> {
  const suffixes = [...readSource('upstream/upstreamEnv.ts').matchAll(/\[v\('([A-Z][A-Z0-9_]*)'\)\]:/g)];
  const names = new Set<string>();
  for (const file of reachable(entry, readSource)) {
    const source = readSource(file);
    if (/\bparseEnv\(/.test(source)) {
      for (const m of source.matchAll(/^\s*([A-Z][A-Z0-9_]*):(?!\s*['"`])/gm)) names.add(m[1] as string);
    }
    for (const m of source.matchAll(/\bparseUpstreamEnv\(\s*'([A-Z][A-Z0-9_]*)'/g)) {
      for (const s of suffixes) names.add(`${m[1]}_${s[1]}`);
    }
    for (const m of source.matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*'([A-Z][A-Z0-9_]*)'\s*\])/g)) {
      names.add((m[1] ?? m[2]) as string);
    }
  }
  return names;
}

/**
 * A component takes traffic (and needs a Service, and a preStop sleep before its listener closes) when
 * it serves GraphQL; the refund worker listens only for probes, /status and Prometheus.
 */
const servesTraffic = (entry: string) => reachable(entry).includes('platform/http/createGraphQLHandler.ts');

/**
 * What is wrong with how a Deployment exposes its component: a component that listens declares exactly
 * its port, probes liveness on /healthz and readiness on /readyz on it, and is scraped there; one that
 * takes traffic also has exactly one Service; one that does not listen declares none of it.
 */
function exposureProblems(w: Workload): string[] {
  const problems: string[] = [];
  const declared = w.ports.flatMap((p) => [p.name, String(p.containerPort)]);
  for (const probe of w.probes) {
    if (!['/healthz', '/readyz'].includes(probe.path))
      problems.push(`${w.name}: ${probe.kind} on ${probe.path}`);
    if (!declared.includes(probe.port))
      problems.push(`${w.name}: ${probe.kind} on undeclared port ${probe.port}`);
  }
  const services = ofKind('Service').filter((s) =>
    [...keys(body(s.lines, 'spec', 'selector'))].every(([k, v]) => w.labels.get(k)?.value === v.value),
  );
  if (!listens(w.entry)) {
    // Nothing to probe or scrape: a probe or port here would point at nothing.
    if (w.ports.length + w.probes.length + w.annotations.size + services.length > 0)
      problems.push(`${w.name}: ports, probes, annotations or a Service, but ${w.entry} does not listen`);
    return problems;
  }
  const port = portOf(w);
  if (!Number.isInteger(port)) problems.push(`${w.name}: no port in the parsed configuration`);
  const ports = w.ports.map((p) => p.containerPort);
  if (ports.length !== 1 || ports[0] !== port)
    problems.push(`${w.name}: ports [${ports.join(', ')}], listens on ${port}`);
  const scrape = ['prometheus.io/scrape', 'prometheus.io/port', 'prometheus.io/path'].map(
    (k) => w.annotations.get(k)?.value,
  );
  if (scrape.join(' ') !== ['true', String(port), '/metrics'].join(' '))
    problems.push(`${w.name}: scrape annotations ${JSON.stringify(scrape)}`);
  const probes = w.probes.map((p) => `${p.kind} ${p.path}`).sort();
  if (probes.join(', ') !== 'livenessProbe /healthz, readinessProbe /readyz')
    problems.push(`${w.name}: probes [${probes.join(', ')}]`);
  if (services.length !== (servesTraffic(w.entry) ? 1 : 0))
    problems.push(`${w.name}: ${services.length} Services (takes traffic: ${servesTraffic(w.entry)})`);
  for (const p of items(body(services[0]?.lines ?? [], 'spec', 'ports'))) {
    if (!declared.includes(value(p, 'targetPort') ?? ''))
      problems.push(`${w.name}: Service targets undeclared port ${value(p, 'targetPort')}`);
  }
  return problems;
}

/** `deployment: NAME` for each variable a Deployment sets that its component does not read. */
const unreadEnv = (readSource: ReadSource = read): string[] =>
  WORKLOADS.flatMap((w) => {
    const reads = envReadBy(w.entry, readSource);
    return givenNames(w)
      .filter((name) => !reads.has(name))
      .map((name) => `${w.name}: ${name}`);
  });

// ---- the checks

describe('deploy/k8s', () => {
  it('deploys every component once, and the reader sees what it should', () => {
    expect(WORKLOADS.map((w) => w.entry).sort()).toEqual(Object.keys(PARSERS).sort());
    expect(ofKind('Namespace')).toHaveLength(1);
    expect(ofKind('Secret')).toHaveLength(1);
    // Guards the scanners themselves: an empty result would make every check below pass vacuously.
    expect(envReadBy('gateway/main.ts').size).toBeGreaterThan(20);
    expect(WORKLOADS.every((w) => givenNames(w).length >= 3)).toBe(true);
  });

  it('sets only variables the component reads', () => {
    expect(unreadEnv()).toEqual([]);
  });

  it('would fail if the code renamed a variable the manifests set', () => {
    const renaming =
      (file: string, from: string, to: string): ReadSource =>
      (path) =>
        path === file ? read(path).replaceAll(from, to) : read(path);
    expect(unreadEnv(renaming('platform/config/jwtEnv.ts', 'JWT_SECRET', 'JWT_KEY'))).toContain(
      'switchyard-gateway: JWT_SECRET',
    );
    expect(unreadEnv(renaming('upstream/upstreamEnv.ts', "'TIMEOUT_MS'", "'ATTEMPT_MS'"))).toContain(
      'switchyard-gateway: ORDERS_SUBGRAPH_TIMEOUT_MS',
    );
  });

  it('every reference resolves, and every ConfigMap and Secret key reaches a component', () => {
    const problems: string[] = [];
    const used = new Set<string>();
    for (const w of WORKLOADS) {
      for (const ref of w.envFrom) {
        const data = dataOf(ref.kind, ref.name);
        if (!data) problems.push(`${w.name}: no ${ref.kind} ${ref.name}`);
        for (const key of data?.keys() ?? []) used.add(`${ref.kind}/${ref.name}/${key}`);
      }
      for (const { name, value: v, from } of w.env) {
        if (!from && v === undefined) problems.push(`${w.name}: ${name} has neither value nor valueFrom`);
        if (from && !dataOf(from.kind, from.name)?.has(from.key ?? '')) {
          problems.push(`${w.name}: ${name} refers to a missing ${from.kind} key ${from.name}/${from.key}`);
        }
        if (from) used.add(`${from.kind}/${from.name}/${from.key}`);
      }
    }
    for (const m of [...ofKind('ConfigMap'), ...ofKind('Secret')]) {
      for (const key of dataOf(m.kind, m.name)?.keys() ?? []) {
        if (!used.has(`${m.kind}/${m.name}/${key}`))
          problems.push(`${m.kind} ${m.name}: ${key} reaches no component`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("each component accepts the configuration it gets; the template's secret placeholders stop start-up", () => {
    for (const w of WORKLOADS) {
      const parse = PARSERS[w.entry] as (env: Env) => object;
      // The parser used here is the one the component's main.ts really calls.
      expect(read(w.entry)).toContain(`${parse.name}(process.env)`);
      expect(() => parse(envOf(w, 'filled'))).not.toThrow();
      // A component that can share its state through Redis must, once it runs several replicas.
      if (envReadBy(w.entry).has('REDIS_URL') && w.replicas > 1) expect(givenNames(w)).toContain('REDIS_URL');
      for (const name of ['JWT_SECRET', 'REDIS_URL'].filter((n) => givenNames(w).includes(n))) {
        const env = { ...envOf(w, 'filled'), [name]: envOf(w, 'template')[name] };
        expect(configError(() => parse(env))).toContain(name);
      }
    }
  });

  it('a component that listens exposes exactly its port, probed and scraped, through a Service if it takes traffic', () => {
    const served = [...read('platform/http/healthRoutes.ts').matchAll(/'GET (\/\w+)'/g)].map((m) => m[1]);
    expect(served).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/metrics']));
    // Guards the scanners: every component listens now (the refund worker for its probes and
    // metrics, on its own port variable), and only the GraphQL servers take traffic.
    expect(
      WORKLOADS.filter((w) => listens(w.entry))
        .map((w) => w.entry)
        .sort(),
    ).toEqual(Object.keys(PARSERS).sort());
    expect(WORKLOADS.filter((w) => !servesTraffic(w.entry)).map((w) => w.entry)).toEqual([
      'subgraphs/orders/deferred/main.ts',
    ]);
    for (const w of WORKLOADS) {
      const field = (PORT_FIELDS[w.entry] ?? '?').replace('.', '\\.');
      expect(read(w.entry)).toMatch(new RegExp(`\\blisten\\([^)]*\\bconfig\\.${field}\\b`));
    }
    expect(WORKLOADS.flatMap(exposureProblems)).toEqual([]);
  });

  it('would fail if the worker lost its port, probes or scrape annotations, or they named another port', () => {
    const worker = WORKLOADS.find((w) => w.entry === 'subgraphs/orders/deferred/main.ts') as Workload;
    expect(exposureProblems({ ...worker, ports: [], probes: [], annotations: new Map() })).toEqual([
      `${worker.name}: ports [], listens on 4004`,
      `${worker.name}: scrape annotations [null,null,null]`,
      `${worker.name}: probes []`,
    ]);
    // The variable changed, the port, probes and annotations left behind.
    const moved = {
      ...worker,
      env: worker.env.map((e) => (e.name === 'REFUND_WORKER_PORT' ? { ...e, value: '9464' } : e)),
    };
    expect(exposureProblems(moved)).toEqual([
      `${worker.name}: ports [4004], listens on 9464`,
      `${worker.name}: scrape annotations ["true","4004","/metrics"]`,
    ]);
  });

  it("the gateway's subgraph URLs name the Services of those subgraphs", () => {
    const gateway = WORKLOADS.find((w) => w.entry === 'gateway/main.ts') as Workload;
    for (const [name, upstream] of Object.entries(parseGatewayConfig(envOf(gateway, 'filled')).subgraphs)) {
      const url = new URL(upstream.baseUrl);
      const service = ofKind('Service').find((s) => s.name === url.hostname.split('.')[0]);
      const target = WORKLOADS.find((w) => w.entry === `subgraphs/${name}/main.ts`);
      expect(items(body(service?.lines ?? [], 'spec', 'ports')).map((p) => value(p, 'port'))).toContain(
        url.port,
      );
      expect(value(service?.lines ?? [], 'spec', 'selector', 'app.kubernetes.io/component')).toBe(
        target?.labels.get('app.kubernetes.io/component')?.value,
      );
    }
  });

  it('each Deployment runs a built main.ts of a production component, from one image', () => {
    const build = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    const base = JSON.parse(read('tsconfig.json')) as {
      compilerOptions: { outDir: string; rootDir: string };
    };
    expect(base.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.' });
    for (const w of WORKLOADS) {
      expect(w.command).toEqual(['node', `dist/${w.entry.replace(/\.ts$/, '.js')}`]);
      expect(posix.basename(w.entry)).toBe('main.ts');
      expect(existsSync(join(ROOT, w.entry))).toBe(true);
      expect(build.include).toContain(w.entry.split('/')[0]);
      expect(['simulators', 'scripts', 'bench']).not.toContain(w.entry.split('/')[0]);
    }
    expect(new Set(WORKLOADS.map((w) => w.image)).size).toBe(1);
  });

  it('stops gracefully: the grace period outlasts the preStop sleep plus the HTTP drain', () => {
    expect(read('platform/runMain.ts')).toContain("process.on('SIGTERM'");
    const drainMs = Number(
      /graceMs = ([\d_]+)/.exec(read('platform/http/listen.ts'))?.[1]?.replaceAll('_', ''),
    );
    expect(drainMs).toBeGreaterThan(0);
    for (const w of WORKLOADS) {
      const graceMs = Number(value(w.pod, 'terminationGracePeriodSeconds')) * 1000;
      expect(graceMs).toBeGreaterThan(0);
      if (!listens(w.entry)) continue;
      const sleep = flowList(value(w.container, 'lifecycle', 'preStop', 'exec', 'command'));
      // Only what takes traffic waits for its endpoint removal; the worker has no Service to leave.
      if (servesTraffic(w.entry)) expect(sleep[0]).toBe('sleep');
      else expect(sleep).toEqual([]);
      expect(graceMs).toBeGreaterThan(Number(sleep[1] ?? 0) * 1000 + drainMs);
    }
  });

  it('runs as non-root on a read-only root, with requests and limits, two replicas for servers', () => {
    for (const w of WORKLOADS) {
      expect(value(w.pod, 'securityContext', 'runAsNonRoot')).toBe('true');
      expect(Number(value(w.pod, 'securityContext', 'runAsUser'))).toBeGreaterThan(0);
      expect(value(w.container, 'securityContext', 'readOnlyRootFilesystem')).toBe('true');
      expect(value(w.container, 'securityContext', 'allowPrivilegeEscalation')).toBe('false');
      for (const bound of ['requests', 'limits']) {
        for (const resource of ['cpu', 'memory'])
          expect(value(w.container, 'resources', bound, resource)).toBeTruthy();
      }
      if (servesTraffic(w.entry)) expect(w.replicas).toBeGreaterThanOrEqual(2);
    }
  });

  it('kustomization applies every manifest but the Secret template', () => {
    const kustomization = MANIFESTS.find((m) => m.kind === 'Kustomization') as Manifest;
    const listed = items(body(kustomization.lines, 'resources')).map((item) => item[0]?.text);
    const secretFiles = ofKind('Secret').map((m) => m.file);
    const expected = FILES.filter((f) => f !== kustomization.file && !secretFiles.includes(f));
    expect(listed.sort()).toEqual(expected.sort());
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = read('deploy/Dockerfile');

  it('ships what each component imports and runs it as the manifests expect', () => {
    const compiled = [...dockerfile.matchAll(/^COPY (\w+) \.\/\1$/gm)].map((m) => m[1]);
    const shipped = [...dockerfile.matchAll(/^COPY --from=\w+ \/app\/dist\/(\w+) /gm)].map((m) => m[1]);
    for (const w of WORKLOADS) {
      for (const dir of new Set(reachable(w.entry).map((f) => f.split('/')[0]))) {
        expect(compiled).toContain(dir);
        expect(shipped).toContain(dir);
      }
    }
    // schemaDirectory() reads the SDLs and the committed supergraph at start-up.
    expect(dockerfile).toMatch(/^COPY schema \.\/schema$/m);
    expect(dockerfile).toMatch(/^ENV NODE_ENV=production$/m);
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(WORKLOADS.map((w) => w.command.join(' '))).toContain(
      (JSON.parse(cmd ?? '[]') as string[]).join(' '),
    );
    // Numeric, or Kubernetes cannot verify runAsNonRoot; the pods' runAsUser is the same user.
    const user = /^USER (\d+)(?::\d+)?$/m.exec(dockerfile)?.[1];
    expect(WORKLOADS.map((w) => value(w.pod, 'securityContext', 'runAsUser'))).toEqual(
      WORKLOADS.map(() => user),
    );
  });
});
