import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { FlagsSource } from '../subgraphs/orders/config/flagsSource';
import type { OrderHistorySource } from '../subgraphs/orders/port/OrdersBackend';
import { createRolloutFlags } from '../subgraphs/orders/layers/rollout/flags/createRolloutFlags';

// The rollout flags' cost per history read (docs/rollout-and-shadow.md "Cost"): every flag evaluated
// once, as a read does, with the environment's in-memory provider and with the flag file through the
// flagd provider in process. sha256 of a username is measured alongside as a yardstick for how busy
// the machine is. Run: npm run build && node dist/bench/rolloutFlagsCost.js

const READS = 50_000;
const history: OrderHistorySource = { listOrders: async () => ({ count: 0, orders: [] }) };

async function measure(flags: FlagsSource): Promise<number> {
  const handle = createRolloutFlags(
    {
      mode: 'legacy',
      rollout: { mode: 'vendor', basisPoints: 2000 },
      shadow: { mode: 'vendor', sampleRate: 0.05, timeoutMs: 3000, maxConcurrent: 8 },
      flags,
    },
    { legacy: history, vendor: history, merged: history },
    pino({ level: 'silent' }),
    { registry: new Registry() },
  );
  await handle.ready();
  const read = (i: number) =>
    handle.flags.decide(`learner${i}`, {
      identity: { username: `learner${i}`, isStaff: false, token: 't' },
      requestId: 'bench',
    });
  for (let i = 0; i < 20_000; i++) await read(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < READS; i++) await read(i);
  const micros = Number(process.hrtime.bigint() - start) / 1000 / READS;
  await handle.close();
  return micros;
}

async function main(): Promise<void> {
  const file = join(mkdtempSync(join(tmpdir(), 'switchyard-flags-')), 'orders-flags.json');
  const sample = JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'deploy', 'flags', 'orders-flags.json'), 'utf8'),
  );
  sample.flags['orders-rollout-share'].variants = { share: 2000 };
  sample.flags['orders-shadow-mode'].defaultVariant = 'vendor';
  writeFileSync(file, JSON.stringify(sample));
  const start = process.hrtime.bigint();
  for (let i = 0; i < READS; i++) createHash('sha256').update(`learner${i}`).digest().readUInt32BE(0);
  const sha = Number(process.hrtime.bigint() - start) / 1000 / READS;
  const env = await measure({ kind: 'env' });
  const flagd = await measure({ kind: 'file', path: file });
  // Six evaluations per read here (shadow on); five with the shadow off, four when killed.
  const row = (name: string, us: number) =>
    `${name.padEnd(28)} ${us.toFixed(1).padStart(7)} µs per read, ${(us / 6).toFixed(1).padStart(6)} µs per evaluation`;
  process.stdout.write(
    [
      `sha256(username) yardstick   ${sha.toFixed(1).padStart(7)} µs`,
      row('env (in-memory provider)', env),
      row('file (flagd, in process)', flagd),
    ].join('\n') + '\n',
  );
}

void main();
