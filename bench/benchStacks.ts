import { SWITCHYARD_NODE_OPTIONS } from '../platform/nodeOptions';
import type { SubgraphClient } from './startStack';

/**
 * The V8 flag sets a stack can run with (BENCH_V8_FLAGS): `ours`, the flags Switchyard ships
 * (platform/nodeOptions.ts), or `none`, Node's defaults. Every stack of a run gets the same set, so no
 * stack wins by its flags (issue 25); `both` runs every stack once with each, side by side.
 */
export type V8FlagSet = 'ours' | 'none';
export const V8_FLAG_CHOICES = ['ours', 'none', 'both'] as const;
export type V8FlagChoice = (typeof V8_FLAG_CHOICES)[number];

/** The flag sets of a BENCH_V8_FLAGS choice, the first being the one the headline figures use. */
export function flagSetsOf(choice: V8FlagChoice): V8FlagSet[] {
  return choice === 'both' ? ['ours', 'none'] : [choice];
}

/** NODE_OPTIONS for a flag set; `ours` can be overridden with BENCH_NODE_OPTIONS to try others. */
export function nodeOptionsOf(set: V8FlagSet, override?: string): string {
  return set === 'none' ? '' : (override ?? SWITCHYARD_NODE_OPTIONS);
}

/** One stack measured in the rounds: a deployment, the flags it runs with, and any variation. */
export interface BenchStack {
  /** Its name in logs, tables and JSON keys: the client, then `@none` or `+<variant>` when needed. */
  id: string;
  client: SubgraphClient;
  v8Flags: V8FlagSet;
  /** The NODE_OPTIONS its own processes run with ('' = Node's defaults). */
  nodeOptions: string;
  /** A variation of the same deployment measured beside it, e.g. `field-usage-off`. */
  variant?: string;
  /** Added to the gateway's environment (the variation's settings). */
  gatewayEnv?: Readonly<Record<string, string>>;
}

/**
 * Every client with every flag set, in the order given. The first flag set keeps the client's plain
 * name (the figures reports before issue 25 had), the others are `<client>@<set>`.
 */
export function benchStacks(
  clients: readonly SubgraphClient[],
  flagSets: readonly V8FlagSet[],
  override?: string,
): BenchStack[] {
  return flagSets.flatMap((v8Flags, i) =>
    clients.map((client) => ({
      id: i === 0 ? client : `${client}@${v8Flags}`,
      client,
      v8Flags,
      nodeOptions: nodeOptionsOf(v8Flags, override),
    })),
  );
}

/**
 * The same deployment twice (issue 24's figure): field usage counted (the default) and not
 * (FIELD_USAGE_METRICS=false), the MFE's client counted by name in both, measured in alternating
 * rounds like any two stacks.
 */
export function fieldUsageStacks(
  client: SubgraphClient,
  v8Flags: V8FlagSet,
  override?: string,
): BenchStack[] {
  const nodeOptions = nodeOptionsOf(v8Flags, override);
  const clients = { FIELD_USAGE_CLIENTS: FIELD_USAGE_CLIENT };
  return [
    {
      id: `${client}+field-usage-on`,
      client,
      v8Flags,
      nodeOptions,
      variant: 'field-usage-on',
      gatewayEnv: { ...clients, FIELD_USAGE_METRICS: 'true' },
    },
    {
      id: `${client}+field-usage-off`,
      client,
      v8Flags,
      nodeOptions,
      variant: 'field-usage-off',
      gatewayEnv: { ...clients, FIELD_USAGE_METRICS: 'false' },
    },
  ];
}

/** The client name the load sends in field-usage mode: the order-history MFE's (its manifest's). */
export const FIELD_USAGE_CLIENT = 'order-history-mfe';

/** The stacks of one flag set by client: the view every comparison reads. */
export function byClient<T>(
  values: Readonly<Record<string, T>>,
  stacks: readonly BenchStack[],
  v8Flags: V8FlagSet,
): Partial<Record<SubgraphClient, T>> {
  const view: Partial<Record<SubgraphClient, T>> = {};
  for (const stack of stacks)
    if (stack.v8Flags === v8Flags && stack.variant === undefined && values[stack.id] !== undefined)
      view[stack.client] = values[stack.id];
  return view;
}
