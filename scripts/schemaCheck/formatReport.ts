import type { CheckedChange, SchemaCheckReport } from './runSchemaCheck';

export type ReportFormat = 'text' | 'markdown' | 'json';

const HEADLINE: Record<SchemaCheckReport['outcome'], string> = {
  pass: 'PASS: no registered client breaks',
  breaking: 'FAIL: breaks a known client',
  'composition-failed': 'FAIL: does not compose',
};

const VERDICT: Record<CheckedChange['verdict'], string> = {
  'breaks-clients': 'BREAKS CLIENTS',
  'safe-for-known-clients': 'breaking, safe for known clients',
  dangerous: 'dangerous',
  safe: 'safe',
};

export function formatReport(report: SchemaCheckReport, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  return format === 'markdown' ? markdown(report) : text(report);
}

function locationsOf(problem: SchemaCheckReport['composition']['problems'][number]): string {
  return problem.locations.map((l) => `${l.file}:${l.line}:${l.column}`).join(', ');
}

function who(change: CheckedChange): string[] {
  return [
    ...change.operations.map(
      (o) => `client ${o.client}, operation ${o.operation}, field ${change.coordinate}`,
    ),
    ...change.usage.map(
      (u) => `client ${u.client} asked for ${u.coordinate} ${u.count} times (production usage)`,
    ),
  ];
}

function scope(report: SchemaCheckReport): string {
  const clients = report.operations.clients;
  const known = clients.length > 0 ? clients.join(', ') : 'none registered';
  const usage = report.usage
    ? `; usage from ${report.usage.source}${report.usage.window ? ` over ${report.usage.window}` : ''} (${report.usage.clients.length} clients)`
    : '; no production usage';
  return `${report.operations.checked} operations of ${clients.length} clients (${known})${usage}`;
}

function text(report: SchemaCheckReport): string {
  const lines = [
    `schema:check ${report.subgraph}: ${HEADLINE[report.outcome]}`,
    `checked against ${scope(report)}`,
  ];
  for (const problem of report.composition.problems) {
    lines.push(
      `  composition ${problem.code}: ${problem.message}${problem.locations.length ? ` (${locationsOf(problem)})` : ''}`,
    );
  }
  for (const broken of report.operations.broken) {
    lines.push(
      `  BROKEN client ${broken.client}, operation ${broken.operation}` +
        `${broken.coordinates.length ? `, field ${broken.coordinates.join(', ')}` : ''}: ${broken.reasons.join('; ')}`,
    );
  }
  if (report.composition.ok) lines.push(`changes (${report.changes.length}):`);
  for (const change of report.changes) {
    lines.push(`  [${VERDICT[change.verdict]}] ${change.message}`);
    for (const line of who(change)) lines.push(`      ${line}`);
  }
  return `${lines.join('\n')}\n`;
}

const cell = (value: string) => value.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markdown(report: SchemaCheckReport): string {
  const icon = report.outcome === 'pass' ? '✅' : '❌';
  const lines = [
    `### ${icon} Schema check \`${report.subgraph}\`: ${HEADLINE[report.outcome]}`,
    '',
    `Checked against ${scope(report)}.`,
    '',
  ];
  if (!report.composition.ok) {
    lines.push('**Composition errors**', '', '| code | message | where |', '| --- | --- | --- |');
    for (const p of report.composition.problems)
      lines.push(`| \`${p.code}\` | ${cell(p.message)} | ${cell(locationsOf(p))} |`);
    lines.push('');
  }
  if (report.operations.broken.length > 0) {
    lines.push(
      '**Broken operations**',
      '',
      '| client | operation | fields | why |',
      '| --- | --- | --- | --- |',
    );
    for (const b of report.operations.broken) {
      lines.push(
        `| ${cell(b.client)} | ${cell(b.operation)} | ${cell(b.coordinates.map((c) => `\`${c}\``).join(', '))} | ${cell(b.reasons.join('; '))} |`,
      );
    }
    lines.push('');
  }
  if (report.composition.ok) {
    lines.push(`**Changes** (${report.changes.length})`, '');
    if (report.changes.length > 0) {
      lines.push('| verdict | change | used by |', '| --- | --- | --- |');
      for (const c of report.changes)
        lines.push(`| ${VERDICT[c.verdict]} | ${cell(c.message)} | ${cell(who(c).join('; '))} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
