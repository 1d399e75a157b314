import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../../bench/freePorts';
import { spawnRedisServer as startServer } from './startRedisServer';

export interface RedisTopology {
  /** REDIS_URL for it. */
  url: string;
  /** The ports of the servers holding data (a Cluster's primaries; Sentinel's primary). */
  dataPorts: number[];
  /** Every redis-server (and sentinel) process, by role. */
  processes: Record<string, ChildProcess>;
  stop(): Promise<void>;
}

const base = (port: number) => [
  '--port',
  String(port),
  '--bind',
  '127.0.0.1',
  '--save',
  '',
  '--appendonly',
  'no',
];
const READY = /Ready to accept connections/;

async function stopAll(processes: Record<string, ChildProcess>): Promise<void> {
  await Promise.all(
    Object.values(processes).map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/** A three-primary Redis Cluster (no replicas), created with `redis-cli --cluster create`. */
export async function startRedisCluster(): Promise<RedisTopology> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-cluster-'));
  const ports = await freePorts(3);
  const processes: Record<string, ChildProcess> = {};
  try {
    for (const port of ports) {
      processes[`node-${port}`] = await startServer(
        [
          ...base(port),
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '2000',
          '--dir',
          dir,
        ],
        READY,
      );
    }
    const create = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    if (create.status !== 0)
      throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const info = ports.map(
        (p) => spawnSync('redis-cli', ['-p', String(p), 'cluster', 'info'], { encoding: 'utf8' }).stdout,
      );
      if (info.every((text) => text.includes('cluster_state:ok'))) break;
      if (Date.now() > deadline) throw new Error(`cluster never became ok: ${info.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await stopAll(processes);
    throw error;
  }
  return {
    url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
    dataPorts: ports,
    processes,
    stop: () => stopAll(processes),
  };
}

/** A primary, one replica and one Sentinel watching them as `name`. */
export async function startRedisSentinel(
  name = 'switchyard',
): Promise<RedisTopology & { primaryPort: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-sentinel-'));
  const [primaryPort, replicaPort, sentinelPort] = (await freePorts(3)) as [number, number, number];
  const processes: Record<string, ChildProcess> = {};
  try {
    // Their own directory: a replica's sync may write an RDB file there, never into the checkout.
    processes.primary = await startServer([...base(primaryPort), '--dir', dir], READY);
    processes.replica = await startServer(
      [...base(replicaPort), '--dir', dir, '--replicaof', '127.0.0.1', String(primaryPort)],
      READY,
    );
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 1`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 5000`,
        '',
      ].join('\n'),
    );
    processes.sentinel = await startServer([conf, '--sentinel'], /\+monitor master/);
  } catch (error) {
    await stopAll(processes);
    throw error;
  }
  return {
    url: `redis+sentinel://127.0.0.1:${sentinelPort}/${name}`,
    primaryPort,
    dataPorts: [primaryPort],
    processes,
    stop: () => stopAll(processes),
  };
}
