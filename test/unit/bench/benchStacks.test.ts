import {
  benchStacks,
  byClient,
  fieldUsageStacks,
  flagSetsOf,
  nodeOptionsOf,
} from '../../../bench/benchStacks';
import { SWITCHYARD_NODE_OPTIONS } from '../../../platform/nodeOptions';

describe('the stacks a bench run measures', () => {
  it('gives every stack of a flag set the same V8 flags, plain stacks included', () => {
    const stacks = benchStacks(['kit', 'plain', 'colocated-workers', 'plain-colocated'], ['ours']);
    expect(new Set(stacks.map((s) => s.nodeOptions))).toEqual(new Set([SWITCHYARD_NODE_OPTIONS]));
    expect(stacks.map((s) => s.id)).toEqual(['kit', 'plain', 'colocated-workers', 'plain-colocated']);
  });

  it('with both flag sets runs each stack twice, the second set named <client>@none on Node defaults', () => {
    const stacks = benchStacks(['colocated-workers', 'plain-colocated'], flagSetsOf('both'));
    expect(stacks.map((s) => [s.id, s.v8Flags, s.nodeOptions])).toEqual([
      ['colocated-workers', 'ours', SWITCHYARD_NODE_OPTIONS],
      ['plain-colocated', 'ours', SWITCHYARD_NODE_OPTIONS],
      ['colocated-workers@none', 'none', ''],
      ['plain-colocated@none', 'none', ''],
    ]);
  });

  it('names its flag sets and their NODE_OPTIONS; BENCH_NODE_OPTIONS replaces ours only', () => {
    expect(flagSetsOf('ours')).toEqual(['ours']);
    expect(flagSetsOf('none')).toEqual(['none']);
    expect(nodeOptionsOf('ours')).toBe(SWITCHYARD_NODE_OPTIONS);
    expect(nodeOptionsOf('ours', '--max-old-space-size=256')).toBe('--max-old-space-size=256');
    expect(nodeOptionsOf('none', '--max-old-space-size=256')).toBe('');
    // One flag set: the ids are the clients' names whichever it is.
    expect(benchStacks(['kit'], ['none'])).toEqual([
      { id: 'kit', client: 'kit', v8Flags: 'none', nodeOptions: '' },
    ]);
  });

  it('runs one deployment twice for field usage, counted and not, the MFE counted by name in both', () => {
    const [on, off] = fieldUsageStacks('kit', 'ours');
    expect(on).toMatchObject({
      id: 'kit+field-usage-on',
      variant: 'field-usage-on',
      nodeOptions: SWITCHYARD_NODE_OPTIONS,
      gatewayEnv: { FIELD_USAGE_METRICS: 'true', FIELD_USAGE_CLIENTS: 'order-history-mfe' },
    });
    expect(off).toMatchObject({
      id: 'kit+field-usage-off',
      gatewayEnv: { FIELD_USAGE_METRICS: 'false', FIELD_USAGE_CLIENTS: 'order-history-mfe' },
    });
  });

  it('views one flag set by client, leaving variations out', () => {
    const stacks = [...benchStacks(['kit', 'plain'], ['ours', 'none']), ...fieldUsageStacks('kit', 'ours')];
    const values = Object.fromEntries(stacks.map((s) => [s.id, s.id]));
    expect(byClient(values, stacks, 'ours')).toEqual({ kit: 'kit', plain: 'plain' });
    expect(byClient(values, stacks, 'none')).toEqual({ kit: 'kit@none', plain: 'plain@none' });
  });
});
