import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { SWITCHYARD_NODE_OPTIONS } from '../../platform/nodeOptions';
import { join, posix } from 'node:path';
import { parseGatewayConfig } from '../../gateway/gatewayConfig';
import type { Env } from '../../platform/config/parseEnv';
import { parseCatalogConfig } from '../../subgraphs/catalog/catalogConfig';
import { parseOrdersConfig } from '../../subgraphs/orders/config/ordersConfig';
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
  /** ConfigMaps mounted as files: the volume's ConfigMap, where, and whether through a subPath. */
  mounts: { configMap: string; mountPath: string; subPath?: string }[];
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
    mounts: items(body(c, 'volumeMounts')).flatMap((mount) => {
      const volume = items(body(pod, 'volumes')).find((v) => value(v, 'name') === value(mount, 'name'));
      const configMap = volume && value(volume, 'configMap', 'name');
      return configMap
        ? [{ configMap, mountPath: value(mount, 'mountPath') ?? '', subPath: value(mount, 'subPath') }]
        : [];
    }),
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

// Values for the Secret's keys, so the parsers can be run on a filled-in template: production-sized
// (32 bytes or more), as production asks of secrets.
const TEST_SECRETS: Record<string, string> = {
  JWT_SECRET: 'a-test-secret-of-at-least-32-bytes-long',
  SUBGRAPH_SHARED_SECRET: 'a-test-subgraph-secret-of-at-least-32-bytes',
  VENDOR_CLIENT_SECRET: 'a-test-client-secret-of-at-least-32-bytes',
  LMS_OAUTH2_CLIENT_SECRET: 'a-test-lms-client-secret-of-at-least-32-bytes',
  REDIS_URL: 'redis://redis.example.org:6379/0',
};

/** What the image sets (`ENV NAME=value` in the Dockerfile): NODE_ENV=production, where secrets are required. */
const IMAGE_ENV: Env = Object.fromEntries(
  [...read('deploy/Dockerfile').matchAll(/^ENV ([A-Z][A-Z0-9_]*)=(\S+)$/gm)].map((m) => [m[1], m[2]]),
);

/** The environment a Deployment's process would see (from the template's placeholders, or filled in). */
function envOf(w: Workload, secrets: 'template' | 'filled'): Env {
  const lookup = (ref: Ref, key: string) =>
    ref.kind === 'Secret' && secrets === 'filled' ? TEST_SECRETS[key] : dataOf(ref.kind, ref.name)?.get(key);
  const env: Record<string, string | undefined> = { ...IMAGE_ENV };
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
  'subgraphs/orders/worker/main.ts': parseOrdersConfig,
};
const listens = (entry: string) => /\blisten\(/.test(read(entry));

/** Where each component's parsed configuration holds the port its main.ts listens on. */
const PORT_FIELDS: Record<string, string> = {
  'gateway/main.ts': 'port',
  'subgraphs/orders/main.ts': 'port',
  'subgraphs/catalog/main.ts': 'port',
  'subgraphs/orders/worker/main.ts': 'mutations.workerPort',
};
/** The port a Deployment's process would listen on, from the configuration it is given. */
function portOf(w: Workload, fields: Record<string, string> = PORT_FIELDS): number {
  const field = fields[w.entry] ?? '';
  const config = PARSERS[w.entry]?.(envOf(w, 'filled'));
  return field.split('.').reduce((o: any, k) => o?.[k], config) as number;
}

/**
 * Where `/metrics` and `/status` are served: the GraphQL servers' admin port (ADMIN_PORT); the refund
 * worker serves nothing else, so its one port is its admin port.
 */
const ADMIN_PORT_FIELDS: Record<string, string> = {
  'gateway/main.ts': 'admin.port',
  'subgraphs/orders/main.ts': 'admin.port',
  'subgraphs/catalog/main.ts': 'admin.port',
  'subgraphs/orders/worker/main.ts': 'mutations.workerPort',
};
const adminPortOf = (w: Workload) => portOf(w, ADMIN_PORT_FIELDS);

/** The peer the admin ports admit: the Prometheus namespace. */
const PROMETHEUS_PEER = 'namespaceSelector.matchLabels.kubernetes.io/metadata.name=monitoring';
const peerText = (peer: Line[]) =>
  [...keys(peer)]
    .map(([k]) =>
      [...keys(body(peer, k, 'matchLabels'))].map(([l, v]) => `${k}.matchLabels.${l}=${v.value}`).join(),
    )
    .join(' + ');

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
  const admin = adminPortOf(w);
  if (!Number.isInteger(port)) problems.push(`${w.name}: no port in the parsed configuration`);
  const ports = w.ports.map((p) => p.containerPort);
  const listening = [...new Set([port, admin])];
  if (ports.join() !== listening.join())
    problems.push(`${w.name}: ports [${ports.join(', ')}], listens on ${listening.join(', ')}`);
  const scrape = ['prometheus.io/scrape', 'prometheus.io/port', 'prometheus.io/path'].map(
    (k) => w.annotations.get(k)?.value,
  );
  if (scrape.join(' ') !== ['true', String(admin), '/metrics'].join(' '))
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

// ---- network policies

interface PolicyRule {
  /** `from` (ingress) or `to` (egress) peers, each as its lines; none means any peer. */
  peers: Line[][];
  /** `TCP/4001`, `UDP/53`; none means every port. */
  ports: string[];
}
interface Policy {
  name: string;
  podSelector: Line[];
  types: string[];
  ingress: PolicyRule[];
  egress: PolicyRule[];
}

const rulesOf = (lines: Line[], peersKey: 'from' | 'to'): PolicyRule[] =>
  items(lines).map((rule) => ({
    peers: items(body(rule, peersKey)),
    ports: items(body(rule, 'ports')).map((p) => `${value(p, 'protocol') ?? 'TCP'}/${value(p, 'port')}`),
  }));
const POLICIES: Policy[] = ofKind('NetworkPolicy').map((m) => ({
  name: m.name,
  podSelector: body(m.lines, 'spec', 'podSelector'),
  types: flowList(value(m.lines, 'spec', 'policyTypes')),
  ingress: rulesOf(body(m.lines, 'spec', 'ingress'), 'from'),
  egress: rulesOf(body(m.lines, 'spec', 'egress'), 'to'),
}));

/** Whether a label selector (matchLabels, matchExpressions with `In`) selects pods with these labels. */
function selects(selector: Line[], labels: Map<string, Node>): boolean {
  const matchLabels = [...keys(body(selector, 'matchLabels'))];
  const expressions = items(body(selector, 'matchExpressions')).map((e) => {
    if (value(e, 'operator') !== 'In') throw new Error(`operator ${value(e, 'operator')} is not read here`);
    return { key: value(e, 'key') ?? '', values: flowList(value(e, 'values')) };
  });
  return (
    matchLabels.every(([k, v]) => labels.get(k)?.value === v.value) &&
    expressions.every((e) => e.values.includes(labels.get(e.key)?.value ?? ''))
  );
}
const policiesOn = (w: Workload, type: 'Ingress' | 'Egress', policies: Policy[]) =>
  policies.filter((p) => p.types.includes(type) && selects(p.podSelector, w.labels));

/** The Deployments a peer of this namespace's policies admits; anything but a podSelector is a problem. */
function peerWorkloads(peer: Line[]): string[] | string {
  const kinds = [...keys(peer).keys()];
  if (kinds.join() !== 'podSelector') return `a ${kinds.join(' + ')} peer`;
  return WORKLOADS.filter((w) => selects(body(peer, 'podSelector'), w.labels)).map((w) => w.name);
}

/**
 * What lets anything but the gateway open a connection to a subgraph: every policy that selects it
 * adds what it allows, so all of them are read together. The one rule allowed: from the gateway's
 * pods, to the subgraph's own port.
 */
function subgraphIngressProblems(w: Workload, policies: Policy[] = POLICIES): string[] {
  const gateways = WORKLOADS.filter((g) => g.entry === 'gateway/main.ts').map((g) => g.name);
  const on = policiesOn(w, 'Ingress', policies);
  if (on.length === 0) return [`${w.name}: no ingress policy, anyone may connect`];
  const problems: string[] = [];
  for (const rule of on.flatMap((p) => p.ingress)) {
    if (rule.peers.length === 0) problems.push(`${w.name}: an ingress rule from any peer`);
    // Prometheus, to the admin port: adminIngressProblems holds that rule to its port.
    if (rule.peers.length > 0 && rule.peers.every((peer) => peerText(peer) === PROMETHEUS_PEER)) continue;
    for (const peer of rule.peers) {
      const admitted = peerWorkloads(peer);
      if (typeof admitted === 'string') problems.push(`${w.name}: ${admitted}`);
      else if (admitted.join() !== gateways.join())
        problems.push(`${w.name}: ingress from [${admitted.join(', ')}]`);
    }
    if (rule.ports.join() !== `TCP/${portOf(w)}`)
      problems.push(`${w.name}: ingress on [${rule.ports.join(', ')}]`);
  }
  return problems;
}

/**
 * What lets anyone but Prometheus reach a component's admin port, or keeps Prometheus out: some ingress
 * rule must admit the Prometheus namespace to it, and every rule that admits the admin port (by naming
 * it or naming no port) must admit Prometheus only. A rule from Prometheus must name the admin port only.
 */
function adminIngressProblems(w: Workload, policies: Policy[] = POLICIES): string[] {
  const admin = `TCP/${adminPortOf(w)}`;
  const rules = policiesOn(w, 'Ingress', policies).flatMap((p) => p.ingress);
  const problems: string[] = [];
  let scraped = false;
  for (const rule of rules) {
    const fromPrometheus = rule.peers.length > 0 && rule.peers.every((p) => peerText(p) === PROMETHEUS_PEER);
    const reachesAdmin = rule.ports.length === 0 || rule.ports.includes(admin);
    if (fromPrometheus && rule.ports.join() !== admin)
      problems.push(`${w.name}: Prometheus admitted on [${rule.ports.join(', ')}]`);
    if (fromPrometheus && reachesAdmin) scraped = true;
    if (!fromPrometheus && reachesAdmin)
      problems.push(
        `${w.name}: admin port ${admin} open to [${rule.peers.map(peerText).join('; ') || 'any peer'}]`,
      );
  }
  if (!scraped) problems.push(`${w.name}: Prometheus may not reach admin port ${admin}`);
  return problems;
}

/** The port a configured URL connects to (`REDIS_URL` and the upstreams' `*_URL`). */
function urlPort(raw: string): number {
  const url = new URL(raw);
  const byScheme: Record<string, number> = { 'https:': 443, 'http:': 80, 'redis:': 6379, 'rediss:': 6379 };
  return url.port ? Number(url.port) : (byScheme[url.protocol] ?? NaN);
}

/**
 * What a component under an egress policy could not reach although its configuration names it (DNS,
 * each `*_URL` it is given), and Redis ports open to a component that is not given REDIS_URL.
 */
function egressProblems(w: Workload, policies: Policy[] = POLICIES): string[] {
  const rules = policiesOn(w, 'Egress', policies).flatMap((p) => p.egress);
  const anyPeer = new Set(rules.filter((r) => r.peers.length === 0).flatMap((r) => r.ports));
  const dns = rules.filter((r) =>
    r.peers.some((peer) => value(peer, 'podSelector', 'matchLabels', 'k8s-app') === 'kube-dns'),
  );
  const problems: string[] = [];
  for (const port of ['UDP/53', 'TCP/53'])
    if (!dns.some((r) => r.ports.includes(port))) problems.push(`${w.name}: no DNS on ${port}`);
  const env = envOf(w, 'filled');
  for (const [name, url] of Object.entries(env)) {
    if (!name.endsWith('_URL') || url === undefined) continue;
    if (!anyPeer.has(`TCP/${urlPort(url)}`))
      problems.push(`${w.name}: ${name} on port ${urlPort(url)} is blocked`);
  }
  if (env.REDIS_URL === undefined && ['TCP/6379', 'TCP/6380'].some((p) => anyPeer.has(p)))
    problems.push(`${w.name}: may reach Redis without using it`);
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
      for (const mount of w.mounts) {
        const data = dataOf('ConfigMap', mount.configMap);
        if (!data) problems.push(`${w.name}: mounts a missing ConfigMap ${mount.configMap}`);
        for (const key of data?.keys() ?? []) used.add(`ConfigMap/${mount.configMap}/${key}`);
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

  it('mounts the rollout flag file where ORDERS_FLAGS_FILE says, updatable, the same as the sample', () => {
    const orders = WORKLOADS.find((w) => w.entry === 'subgraphs/orders/main.ts')!;
    const file = envOf(orders, 'filled').ORDERS_FLAGS_FILE ?? '';
    const mount = orders.mounts.find((m) => file.startsWith(`${m.mountPath}/`));
    expect(mount).toBeDefined();
    // A subPath mount never sees a ConfigMap update: the file would only change on a restart.
    expect(mount!.subPath).toBeUndefined();
    const key = file.slice(mount!.mountPath.length + 1);
    expect(dataOf('ConfigMap', mount!.configMap)?.has(key)).toBe(true);
    // The block scalar under that key, as the kubelet would write it.
    const manifest = read(`${K8S}/${MANIFESTS.find((m) => m.name === mount!.configMap)!.file}`);
    const block = new RegExp(`^  ${key.replace('.', '\\.')}: \\|\\n((?:    .*\\n|\\n)+)`, 'm').exec(manifest);
    const inline = (block?.[1] ?? '').replace(/^    /gm, '');
    expect(JSON.parse(inline)).toEqual(JSON.parse(read('deploy/flags/orders-flags.json')));
  });

  it("each component accepts the configuration it gets; the template's secret placeholders stop start-up", () => {
    for (const w of WORKLOADS) {
      const parse = PARSERS[w.entry] as (env: Env) => object;
      // The parser used here is the one the component's main.ts really calls.
      expect(read(w.entry)).toContain(`${parse.name}(process.env)`);
      expect(() => parse(envOf(w, 'filled'))).not.toThrow();
      // A component that can share its state through Redis must, once it runs several replicas.
      if (envReadBy(w.entry).has('REDIS_URL') && w.replicas > 1) expect(givenNames(w)).toContain('REDIS_URL');
      for (const name of ['JWT_SECRET', 'SUBGRAPH_SHARED_SECRET', 'REDIS_URL'].filter((n) =>
        givenNames(w).includes(n),
      )) {
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
      'subgraphs/orders/worker/main.ts',
    ]);
    for (const w of WORKLOADS) {
      for (const fields of [PORT_FIELDS, ADMIN_PORT_FIELDS]) {
        const field = (fields[w.entry] ?? '?').replace('.', '\\.');
        expect(read(w.entry)).toMatch(new RegExp(`\\blisten\\([^)]*\\bconfig\\.${field}\\b`));
      }
    }
    expect(WORKLOADS.flatMap(exposureProblems)).toEqual([]);
  });

  it('would fail if the worker lost its port, probes or scrape annotations, or they named another port', () => {
    const worker = WORKLOADS.find((w) => w.entry === 'subgraphs/orders/worker/main.ts') as Workload;
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

  it('only the gateway may connect to a subgraph, on its port', () => {
    const subgraphs = WORKLOADS.filter((w) => servesTraffic(w.entry) && w.entry !== 'gateway/main.ts');
    expect(subgraphs.map((w) => w.entry).sort()).toEqual([
      'subgraphs/catalog/main.ts',
      'subgraphs/orders/main.ts',
    ]);
    expect(subgraphs.flatMap((w) => subgraphIngressProblems(w))).toEqual([]);
  });

  it('scales each component that takes traffic by CPU from two pods, and keeps one through disruptions', () => {
    const servers = WORKLOADS.filter((w) => servesTraffic(w.entry));
    expect(servers).toHaveLength(3);
    for (const w of servers) {
      const hpas = ofKind('HorizontalPodAutoscaler').filter(
        (h) => value(h.lines, 'spec', 'scaleTargetRef', 'name') === w.name,
      );
      expect({ name: w.name, hpas: hpas.length }).toEqual({ name: w.name, hpas: 1 });
      const spec = (field: string) => Number(value(hpas[0]!.lines, 'spec', field));
      expect(spec('minReplicas')).toBeGreaterThanOrEqual(2);
      expect(spec('maxReplicas')).toBeGreaterThan(spec('minReplicas'));
      expect(value(hpas[0]!.lines, 'spec', 'scaleTargetRef', 'kind')).toBe('Deployment');
      const metric = items(body(hpas[0]!.lines, 'spec', 'metrics'))[0] ?? [];
      expect(value(metric, 'resource', 'name')).toBe('cpu');
      // Utilization is a share of the request: without one the HPA has nothing to scale on.
      expect(value(w.container, 'resources', 'requests', 'cpu')).toBeTruthy();
      const budgets = ofKind('PodDisruptionBudget').filter((b) =>
        selects(body(b.lines, 'spec', 'selector'), w.labels),
      );
      expect({ name: w.name, budgets: budgets.length }).toEqual({ name: w.name, budgets: 1 });
      expect(Number(value(budgets[0]!.lines, 'spec', 'minAvailable'))).toBeLessThan(spec('minReplicas'));
    }
  });

  it("admits only Prometheus to every component's admin port, and the metrics live there", () => {
    const served = (file: string) => [...read(file).matchAll(/'GET (\/\w+)'/g)].map((m) => m[1]);
    expect(served('platform/http/healthRoutes.ts')).toContain('/metrics');
    expect(served('platform/http/statusRoutes.ts')).toEqual(['/status']);
    const listening = WORKLOADS.filter((w) => listens(w.entry));
    expect(listening).toHaveLength(4);
    expect(listening.flatMap((w) => adminIngressProblems(w))).toEqual([]);
  });

  it('would fail if an admin port were open to others, or closed to Prometheus', () => {
    const gateway = WORKLOADS.find((w) => w.entry === 'gateway/main.ts') as Workload;
    const open: Policy = {
      name: 'open',
      podSelector: body(gateway.pod, 'nope'),
      types: ['Ingress'],
      ingress: [{ peers: [], ports: [] }],
      egress: [],
    };
    const everything = POLICIES.map((p) => (p.name === 'switchyard-gateway-ingress' ? open : p));
    expect(adminIngressProblems(gateway, everything)).toEqual([
      `${gateway.name}: admin port TCP/9400 open to [any peer]`,
      `${gateway.name}: Prometheus may not reach admin port TCP/9400`,
    ]);
  });

  it('would fail if a policy let another pod, any pod or another port in', () => {
    const orders = WORKLOADS.find((w) => w.entry === 'subgraphs/orders/main.ts') as Workload;
    const worker = WORKLOADS.find((w) => w.entry === 'subgraphs/orders/worker/main.ts') as Workload;
    const extra = (rule: PolicyRule): Policy[] => [
      ...POLICIES,
      {
        name: 'extra',
        podSelector: toLines('matchLabels:\n  app.kubernetes.io/name: switchyard'),
        types: ['Ingress'],
        ingress: [rule],
        egress: [],
      },
    ];
    const fromWorker = toLines(
      `podSelector:\n  matchLabels:\n    app.kubernetes.io/component: ${worker.labels.get('app.kubernetes.io/component')?.value}`,
    );
    expect(subgraphIngressProblems(orders, extra({ peers: [fromWorker], ports: ['TCP/4001'] }))).toEqual([
      `${orders.name}: ingress from [${worker.name}]`,
    ]);
    expect(subgraphIngressProblems(orders, extra({ peers: [], ports: [] }))).toEqual([
      `${orders.name}: an ingress rule from any peer`,
      `${orders.name}: ingress on []`,
    ]);
    expect(subgraphIngressProblems(orders, [])).toEqual([
      `${orders.name}: no ingress policy, anyone may connect`,
    ]);
  });

  it('the subgraphs and the worker may reach DNS, their upstreams and, if they use it, Redis', () => {
    const constrained = WORKLOADS.filter((w) => policiesOn(w, 'Egress', POLICIES).length > 0);
    expect(constrained.map((w) => w.entry).sort()).toEqual(
      WORKLOADS.map((w) => w.entry)
        .filter((e) => e.startsWith('subgraphs/'))
        .sort(),
    );
    expect(constrained.flatMap((w) => egressProblems(w))).toEqual([]);
    // Guards the check itself: Redis is among what it looked for.
    expect(constrained.filter((w) => envOf(w, 'filled').REDIS_URL !== undefined).length).toBe(2);
    const catalog = WORKLOADS.find((w) => w.entry === 'subgraphs/catalog/main.ts') as Workload;
    const leaky = POLICIES.map((p) => ({
      ...p,
      podSelector: p.types.includes('Egress') ? [] : p.podSelector,
    }));
    expect(egressProblems(catalog, leaky)).toEqual([`${catalog.name}: may reach Redis without using it`]);
    expect(egressProblems(catalog, [])).toEqual([
      `${catalog.name}: no DNS on UDP/53`,
      `${catalog.name}: no DNS on TCP/53`,
      `${catalog.name}: DISCOVERY_URL on port 443 is blocked`,
      `${catalog.name}: LMS_OAUTH2_URL on port 443 is blocked`,
    ]);
  });

  it('kustomization applies every manifest but the Secret template', () => {
    const kustomization = MANIFESTS.find((m) => m.kind === 'Kustomization') as Manifest;
    const listed = items(body(kustomization.lines, 'resources')).map((item) => item[0]?.text);
    const secretFiles = ofKind('Secret').map((m) => m.file);
    const expected = FILES.filter((f) => f !== kustomization.file && !secretFiles.includes(f));
    expect(listed.sort()).toEqual(expected.sort());
  });
});

describe('npm start', () => {
  it('runs the local stack with the V8 flags the image sets', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    expect(start).toContain(`node ${SWITCHYARD_NODE_OPTIONS} dist/scripts/start.js`);
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
    // The V8 flags the benchmark measured (platform/nodeOptions.ts), for every component in the image.
    expect(IMAGE_ENV.NODE_OPTIONS).toBe(SWITCHYARD_NODE_OPTIONS);
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
