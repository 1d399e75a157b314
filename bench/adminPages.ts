/** One call on a component's or simulator's admin surface; its body as text, or an error naming it. */
export async function admin(url: string, method: string, path: string, body?: unknown): Promise<string> {
  const response = await fetch(`${url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}${path}: HTTP ${response.status} ${text}`);
  return text;
}

/**
 * `switchyard_orders_shadow_reads_total` by outcome from the orders subgraph's `/metrics`: proof the
 * shadow really ran (and how: mostly dropped and timed out when the vendor hangs). Empty if absent.
 */
export async function shadowReads(ordersAdminUrl: string): Promise<Record<string, number>> {
  const text = await admin(ordersAdminUrl, 'GET', '/metrics');
  const reads: Record<string, number> = {};
  for (const match of text.matchAll(/^switchyard_orders_shadow_reads_total\{([^}]*)\} (\S+)$/gm)) {
    const outcome = /outcome="([^"]*)"/.exec(match[1]!)?.[1] ?? '?';
    reads[outcome] = (reads[outcome] ?? 0) + Number(match[2]);
  }
  return reads;
}

/** A counter's value summed over all its series in a `/metrics` page; 0 when absent. */
export async function counterTotal(adminUrl: string, name: string): Promise<number> {
  const text = await admin(adminUrl, 'GET', '/metrics');
  let total = 0;
  for (const match of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm')))
    total += Number(match[1]);
  return total;
}
