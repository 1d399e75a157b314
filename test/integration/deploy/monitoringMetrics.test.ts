import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bracketsBalance, exportedFamilies, isExported, metricNamesIn } from '../../helpers/promqlNames';
import { spawnComponent, type Component } from '../../helpers/spawnComponent';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';
import { items, keys, toLines, value, body, type Line } from '../../helpers/yamlSubset';

// The Grafana dashboard and the Prometheus rules in deploy/ read only metrics the code exports: every
// `switchyard_…` name in their expressions is looked up in the `/metrics` of real components (the
// gateway, the orders subgraph with a rollout and a shadow configured, the catalog subgraph, and the
// refund worker as its own process), and every `switchyard:…` name must be recorded by the rule file.
// Both files' structure is checked too, so an import or a rule load would not fail on them.

const ROOT = join(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const DASHBOARD_FILE = 'deploy/grafana/switchyard-migration.json';
const RULES_FILE = 'deploy/prometheus/switchyard-alerts.yaml';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

// ---- the dashboard

interface Panel {
  id?: unknown;
  type?: unknown;
  title?: unknown;
  datasource?: { type?: unknown; uid?: unknown };
  gridPos?: { x: number; y: number; w: number; h: number };
  targets?: { refId?: unknown; expr?: unknown; datasource?: { uid?: unknown } }[];
  panels?: Panel[];
}
const dashboard = JSON.parse(read(DASHBOARD_FILE)) as {
  uid?: unknown;
  title?: unknown;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: string }[] };
  annotations: { list: { expr?: string; datasource?: { uid?: unknown } }[] };
  __requires?: { type: string; id: string }[];
};
const panels: Panel[] = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const dashboardExprs: { where: string; expr: string }[] = [
  ...panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ where: `panel "${String(p.title)}"`, expr: String(t.expr ?? '') })),
  ),
  ...dashboard.annotations.list
    .filter((a) => a.expr !== undefined)
    .map((a) => ({ where: 'annotation', expr: a.expr! })),
];
// Panels Grafana ships with: the dashboard must import without installing a plugin.
const CORE_PANELS = new Set([
  'row',
  'text',
  'timeseries',
  'stat',
  'gauge',
  'bargauge',
  'table',
  'state-timeline',
]);

// ---- the rules

interface Rule {
  group: string;
  lines: Line[];
  fields: Map<string, { value: string; body: Line[] }>;
}
const ruleLines = toLines(read(RULES_FILE));
const groups = items(body(ruleLines, 'groups'));
const rules: Rule[] = groups.flatMap((group) =>
  items(body(group, 'rules')).map((lines) => ({
    group: value(group, 'name') ?? '',
    lines,
    fields: keys(lines),
  })),
);
const recorded = new Set(rules.map((r) => r.fields.get('record')?.value).filter((r) => r !== undefined));
const ruleExprs = rules.map((r) => ({
  where: `rule ${r.fields.get('alert')?.value ?? r.fields.get('record')?.value}`,
  expr: r.fields.get('expr')?.value ?? '',
}));

/** GitHub's heading anchors of a Markdown file: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
      m[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    ),
  );
}

describe('the dashboard', () => {
  const variable = dashboard.templating.list.find((v) => v.type === 'datasource');

  it('takes its Prometheus data source from a template variable, used by every panel and query', () => {
    expect(variable).toMatchObject({ type: 'datasource', query: 'prometheus' });
    const uid = `\${${variable!.name}}`;
    for (const p of panels.filter((p) => p.type !== 'row' && p.type !== 'text')) {
      expect({ title: p.title, uid: p.datasource?.uid }).toEqual({ title: p.title, uid });
      for (const t of p.targets ?? [])
        expect({ title: p.title, uid: t.datasource?.uid }).toEqual({ title: p.title, uid });
    }
    for (const a of dashboard.annotations.list.filter((a) => a.expr !== undefined))
      expect(a.datasource?.uid).toBe(uid);
  });

  it('has a uid, a title, panels with unique ids inside the 24-column grid, core panel types only', () => {
    expect(dashboard.uid).toEqual(expect.any(String));
    expect(dashboard.title).toEqual(expect.any(String));
    const ids = panels.map((p) => p.id);
    expect(ids.every((id) => Number.isInteger(id) && (id as number) > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) {
      expect(CORE_PANELS.has(String(p.type))).toBe(true);
      expect(p.gridPos).toBeDefined();
      expect(p.gridPos!.x + p.gridPos!.w).toBeLessThanOrEqual(24);
    }
    for (const r of (dashboard.__requires ?? []).filter((r) => r.type === 'panel'))
      expect(CORE_PANELS.has(r.id)).toBe(true);
  });

  it('gives every panel that shows data at least one query, with unique refIds and balanced brackets', () => {
    const shown = panels.filter((p) => p.type !== 'row' && p.type !== 'text');
    expect(shown.length).toBeGreaterThan(10);
    for (const p of shown) {
      const targets = p.targets ?? [];
      expect({ title: p.title, targets: targets.length > 0 }).toEqual({ title: p.title, targets: true });
      expect(new Set(targets.map((t) => t.refId)).size).toBe(targets.length);
    }
    for (const { where, expr } of dashboardExprs) {
      expect({ where, ok: expr.trim() !== '' && bracketsBalance(expr) }).toEqual({ where, ok: true });
      expect({ where, names: metricNamesIn(expr).length > 0 }).toEqual({ where, names: true });
    }
  });
});

describe('the alert rules', () => {
  const operations = anchorsOf(read('docs/operations.md'));

  it('are groups of named rules, each an alert or a recording, with an expression', () => {
    expect([...keys(ruleLines).keys()]).toEqual(['groups']);
    expect(groups.length).toBeGreaterThan(0);
    const names = groups.map((g) => value(g, 'name'));
    expect(names.every((n) => n !== undefined && n !== '')).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of rules) {
      const kinds = ['alert', 'record'].filter((k) => rule.fields.has(k));
      expect(kinds).toHaveLength(1);
      const expr = rule.fields.get('expr')?.value ?? '';
      expect({
        rule: rule.fields.get(kinds[0]!)?.value,
        ok: expr !== '' && bracketsBalance(expr),
      }).toMatchObject({
        ok: true,
      });
    }
    for (const name of recorded) expect(name).toMatch(/^switchyard:[a-z0-9_]+:[a-z0-9_]+$/);
  });

  it('give every alert a duration, a severity, a summary, a description and a runbook in docs/operations.md', () => {
    const alerts = rules.filter((r) => r.fields.has('alert'));
    const names = alerts.map((r) => r.fields.get('alert')!.value);
    expect(new Set(names).size).toBe(names.length);
    // The four the migration needs (issue 23), at least.
    for (const alert of [
      'SwitchyardRolloutHalted',
      'SwitchyardBreakerOpen',
      'SwitchyardRefundQueueStuck',
      'SwitchyardErrorBudgetBurnFast',
    ])
      expect(names).toContain(alert);
    for (const rule of alerts) {
      const name = rule.fields.get('alert')!.value;
      expect([...rule.fields.keys()].sort()).toEqual(['alert', 'annotations', 'expr', 'for', 'labels']);
      expect(rule.fields.get('for')!.value).toMatch(/^\d+[smhd]$/);
      expect(['page', 'ticket', 'warning']).toContain(value(rule.lines, 'labels', 'severity'));
      const annotations = keys(rule.fields.get('annotations')!.body);
      expect([...annotations.keys()].sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(annotations.get('runbook_url')!.value).toBe(`docs/operations.md#${name.toLowerCase()}`);
      expect({ name, runbook: operations.has(name.toLowerCase()) }).toEqual({ name, runbook: true });
    }
  });

  it('state the objective the burn-rate alerts defend, here and in docs/observability.md', () => {
    expect(read(RULES_FILE)).toContain('99.9 %');
    expect(read('docs/observability.md')).toMatch(/99\.9 %/);
  });

  it('read only names recorded in the same file', () => {
    const used = ruleExprs.flatMap(({ expr }) => metricNamesIn(expr)).filter((n) => n.includes(':'));
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((n) => !recorded.has(n))).toEqual([]);
    // The dashboard reads raw series only: it must work without the rules loaded.
    expect(dashboardExprs.flatMap(({ expr }) => metricNamesIn(expr)).filter((n) => n.includes(':'))).toEqual(
      [],
    );
  });
});

describe('every metric the dashboard and the rules name', () => {
  let stack: TestStack;
  let worker: Component;
  let workerUrl: string;
  beforeAll(async () => {
    const prefix = `test-${randomUUID()}`;
    stack = await startTestStack({
      REDIS_URL,
      REFUND_QUEUE_PREFIX: prefix,
      ORDERS_ROLLOUT_BACKEND: 'vendor',
      ORDERS_ROLLOUT_PERCENT: '10',
      ORDERS_SHADOW_BACKEND: 'merged',
      ORDERS_SHADOW_SAMPLE_RATE: '1',
    });
    worker = spawnComponent('subgraphs/orders/worker/main.js', {
      REFUND_WORKER_PORT: '0',
      LEGACY_ECOMMERCE_URL: stack.simulators.legacy!.url,
      LMS_OAUTH2_URL: stack.simulators.lms!.url,
      DISCOVERY_URL: stack.simulators.discovery!.url,
      REDIS_URL,
      REFUND_QUEUE_PREFIX: prefix,
    });
    workerUrl = String((await worker.waitFor('refund worker listening')).url);
  });
  afterAll(async () => {
    await worker?.kill('SIGKILL');
    await stack?.stop();
  });

  it('is exported by the gateway, the subgraphs or the refund worker', async () => {
    // One request through everything first; not needed for the families (each is listed from its
    // creation, samples or not), but it shows the components are the ones serving.
    const page = await stack.query('{ orderHistory(pageSize: 5) { count } }', { user: 'learner1' });
    expect(page.body.errors).toBeUndefined();
    const scrapes = await Promise.all(
      [stack.adminUrls.gateway, stack.adminUrls.orders, stack.adminUrls.catalog, workerUrl].map(
        async (url) => {
          const response = await fetch(`${url}/metrics`);
          expect(response.status).toBe(200);
          return response.text();
        },
      ),
    );
    const families = new Map(scrapes.flatMap((text) => [...exportedFamilies(text)]));
    const named = [...dashboardExprs, ...ruleExprs].flatMap(({ expr }) => metricNamesIn(expr));
    const raw = [...new Set(named.filter((n) => !n.includes(':')))].sort();
    expect(raw.length).toBeGreaterThan(15);
    expect(raw.filter((name) => !isExported(name, families))).toEqual([]);
  });
});
