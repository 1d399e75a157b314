import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../platform/createLogger';
import type { Env } from '../../../platform/config/parseEnv';
import { close, listen } from '../../../platform/http/listen';
import { MAX_USERS, MAX_USERS_FILE_BYTES } from '../../../scripts/compare/usersToCompare';
import { MAX_CONCURRENCY, runCompare } from '../../../scripts/compare/runCompare';
import type { SummaryJson } from '../../../scripts/compare/CompareSummary';
import type { SeedOrder } from '../../../simulators/seed/SeedOrder';
import { startTwinSimulators, type TwinSimulators } from '../../helpers/startTwinSimulators';

// `npm run compare` over many users: the summary (users and orders by outcome, mismatch rate per
// field, the worst users) in text and JSON, against twin simulators with known seeded differences,
// and its bounds on users and concurrency.

async function compare(argv: string[], env: Env) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCompare(
    argv,
    env,
    { out: (t) => void out.push(t), err: (t) => void err.push(t) },
    silentLogger(),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const LEARNERS = ['learner1', 'learner2', 'learner3', 'learner4', 'learner5', 'learner6'];
const flip = (o: SeedOrder) => void (o.status = o.status === 'Complete' ? 'Open' : 'Complete');

/**
 * In the vendor's copy: learner3 gets two orders of another status, one line repriced and one order
 * dropped (4 differing orders); learner5 one order of another status (1); the others none.
 */
function seedDifferences(orders: SeedOrder[]): SeedOrder[] {
  const of = (user: string) => orders.filter((o) => o.username === user);
  const three = of('learner3');
  flip(three[150]!);
  flip(three[155]!);
  three[160]!.lines[0]!.unitPriceMinor += 1;
  flip(of('learner5')[0]!);
  return orders.filter((o) => o !== three[170]);
}

describe('the summary over many users', () => {
  let twins: TwinSimulators;
  beforeAll(async () => {
    twins = await startTwinSimulators(LEARNERS, seedDifferences);
  });
  afterAll(() => twins.close());

  it('prints, in JSON, users and orders by outcome, each field’s mismatch rate and the worst users', async () => {
    const { code, out, err } = await compare(['--learners', '1-6', '--json'], twins.env);
    expect(err).toBe('');
    expect(code).toBe(1);
    const summary = JSON.parse(out) as SummaryJson;
    const all = twins.orders.length;
    const both = all - 1;
    expect(summary.users).toEqual({ total: 6, identical: 4, different: 2, notCompared: 0 });
    expect(summary.orders).toEqual({
      compared: both,
      matched: both - 4,
      mismatched: 4,
      missingInShadow: 1,
      missingInPrimary: 0,
      differingRate: 5 / all,
    });
    expect(summary.fields.status).toEqual({ match: both - 3, mismatch: 3, mismatchRate: 3 / both });
    for (const field of ['total', 'lines.unitPrice', 'lines.linePrice'] as const)
      expect(summary.fields[field]).toEqual({ match: both - 1, mismatch: 1, mismatchRate: 1 / both });
    expect(summary.fields.placedAt).toEqual({ match: both, mismatch: 0, mismatchRate: 0 });
    expect(summary.worst.map((u) => [u.username, u.differingOrders])).toEqual([
      ['learner3', 4],
      ['learner5', 1],
    ]);
    expect(summary.worst[0]).toMatchObject({
      primaryCount: 200,
      shadowCount: 199,
      mismatched: 3,
      missingInShadow: 1,
      fields: { status: 2, total: 1, 'lines.unitPrice': 1, 'lines.linePrice': 1 },
    });
  });

  it('prints the same as text after each user’s report, or alone with --summary', async () => {
    const full = await compare(['learner6', '--learners', '1-6', '--concurrency', '3'], twins.env);
    expect(full.code).toBe(1);
    // Each user once, in the order given, whatever order they finished in.
    const heads = [...full.out.matchAll(/^(learner\d+): legacy/gm)].map((m) => m[1]);
    expect(heads).toEqual(['learner6', 'learner1', 'learner2', 'learner3', 'learner4', 'learner5']);
    const both = twins.orders.length - 1;
    expect(full.out).toContain('users: identical 4, different 2, not compared 0');
    expect(full.out).toMatch(new RegExp(`^ {4}status +3/${both} +${(300 / both).toFixed(2)} %$`, 'm'));
    expect(full.out).toMatch(
      /worst users[^\n]*\n {4}learner3: 4 differing order\(s\)[^\n]*\n {4}learner5: 1 differing/,
    );
    expect(full.out).toContain('6 user(s): 4 identical, 2 different, 0 not compared');

    const alone = await compare(['--learners', '1-6', '--summary'], twins.env);
    expect(alone.out).not.toMatch(/^learner\d+: legacy/m);
    expect(alone.out).toContain(full.out.slice(full.out.indexOf('Summary, legacy vs vendor')));
  });

  it('reads the users from a file, skipping comments and blank lines, each once', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'compare-')), 'users.txt');
    writeFileSync(file, '# the two with differences\nlearner3\n\nlearner5  # seeded\nlearner3\n');
    const { code, out } = await compare(['--users-file', file, '--json'], twins.env);
    expect(code).toBe(1);
    const summary = JSON.parse(out) as SummaryJson;
    expect(summary.users).toEqual({ total: 2, identical: 0, different: 2, notCompared: 0 });
  });

  it(`compares at most --concurrency users at once (${MAX_CONCURRENCY} at most)`, async () => {
    // A proxy in front of the legacy simulator counts the users whose history is being read at once.
    const inFlight = new Map<string, number>();
    let peak = 0;
    const proxy = createServer((req, res) => {
      const user = new URL(req.url ?? '/', 'http://x').searchParams.get('username') ?? '';
      inFlight.set(user, (inFlight.get(user) ?? 0) + 1);
      peak = Math.max(peak, inFlight.size);
      const target = new URL(req.url ?? '/', twins.legacy.url);
      const forward = request(
        target,
        { method: req.method, headers: req.headers, agent: false },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      res.on('close', () => {
        const left = (inFlight.get(user) ?? 1) - 1;
        if (left === 0) inFlight.delete(user);
        else inFlight.set(user, left);
      });
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    const url = await listen(proxy, 0);
    twins.legacy.setFaults({ latencyMs: 60 });
    try {
      for (const concurrency of [1, 2]) {
        peak = 0;
        const { code } = await compare(
          ['--learners', '1-6', '--summary', '--concurrency', String(concurrency)],
          { ...twins.env, LEGACY_ECOMMERCE_URL: url },
        );
        expect(code).toBe(1);
        expect(peak).toBe(concurrency);
      }
    } finally {
      twins.legacy.clearFaults();
      await close(proxy, 1000);
    }
  });
});

describe('the bounds', () => {
  const env = { LEGACY_ECOMMERCE_URL: 'http://127.0.0.1:9' };

  it.each([
    [['--learners', `1-${MAX_USERS + 1}`], `${MAX_USERS + 1} users: one run compares at most ${MAX_USERS}`],
    [['--learners', '5-2'], '--learners "5-2": use <from>-<to>'],
    [['--concurrency', '0', 'learner1'], `a whole number from 1 to ${MAX_CONCURRENCY}`],
    [
      ['--concurrency', String(MAX_CONCURRENCY + 1), 'learner1'],
      `a whole number from 1 to ${MAX_CONCURRENCY}`,
    ],
    [['learner 1'], '"learner 1" is not a username.'],
  ])('refuse %j before reading anything', async (argv, message) => {
    const { code, err } = await compare(argv, env);
    expect(err).toContain(message);
    expect(err).toContain('usage: npm run compare --');
    expect(code).toBe(2);
  });

  it('refuse a users file over its size, unread, and one naming too many users', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'compare-'));
    const big = join(dir, 'big.txt');
    writeFileSync(big, 'x'.repeat(MAX_USERS_FILE_BYTES + 1));
    expect(await compare(['--users-file', big], env)).toMatchObject({
      code: 2,
      err: expect.stringContaining(`more than ${MAX_USERS_FILE_BYTES}`),
    });
    const many = join(dir, 'many.txt');
    writeFileSync(many, Array.from({ length: MAX_USERS + 1 }, (_, i) => `user${i}`).join('\n'));
    expect(await compare(['--users-file', many], env)).toMatchObject({
      code: 2,
      err: expect.stringContaining(`${MAX_USERS + 1} users`),
    });
  });
});
