import { readFile } from 'node:fs/promises';
import { unwatchFile, watchFile } from 'node:fs';
import type { SupergraphSdlHook } from '@apollo/gateway';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import { sha256Hex as hashOf, type PersistedQueryManifest } from '../safelist/PersistedQueryManifest';
import { supergraphProblem } from './checkSupergraph';

export type ReloadOutcome = 'applied' | 'unchanged' | 'refused';

export interface SupergraphSource {
  /** Handed to ApolloGateway as `supergraphSdl`: the initial SDL, then updates as they pass the checks. */
  hook: SupergraphSdlHook;
  /** Reads the file again and applies it if it passes (SIGHUP, the file watcher, tests). */
  reload(): Promise<ReloadOutcome>;
}

export interface SupergraphSourceOptions {
  /** The supergraph file; null when the SDL was given in code (tests), which never reloads. */
  path: string | null;
  initialSdl: string;
  /** Poll the file's mtime this often; 0 turns the watcher off (SIGHUP still reloads). */
  watchIntervalMs: number;
  subgraphs: readonly string[];
  manifest: PersistedQueryManifest | null;
  logger: Logger;
  metrics: Registry;
}

/**
 * The gateway's supergraph, reloadable without a restart. A candidate is checked before Apollo sees
 * it (supergraphProblem); one that is refused leaves the serving supergraph in place, with a log line
 * and a metric. Apollo Server resolves the schema once per request, so a request in flight finishes on
 * the schema it started with. Polling the mtime (rather than fs.watch) also sees a Kubernetes
 * ConfigMap update, which swaps a symlink instead of writing the file.
 */
export function createSupergraphSource(options: SupergraphSourceOptions): SupergraphSource {
  const { logger } = options;
  const reloads = new Counter({
    name: 'switchyard_supergraph_reloads_total',
    help: 'Supergraph reload attempts by outcome: applied, unchanged, refused (the serving one stays)',
    labelNames: ['outcome'],
    registers: [options.metrics],
  });
  const loadedAt = new Gauge({
    name: 'switchyard_supergraph_loaded_timestamp_seconds',
    help: 'When the serving supergraph was loaded (start-up or the last applied reload)',
    registers: [options.metrics],
  });
  loadedAt.setToCurrentTime();
  let update: ((sdl: string) => void) | null = null;
  let servingSdl = options.initialSdl;
  let servingHash = hashOf(servingSdl);
  let running: Promise<ReloadOutcome> | null = null;

  const count = (outcome: ReloadOutcome): ReloadOutcome => {
    reloads.inc({ outcome });
    return outcome;
  };
  const attempt = async (): Promise<ReloadOutcome> => {
    if (!options.path || !update) return count('unchanged');
    let sdl: string;
    try {
      sdl = await readFile(options.path, 'utf8');
    } catch (error) {
      logger.error(
        { path: options.path, err: (error as Error).message },
        'supergraph reload refused: cannot read the file',
      );
      return count('refused');
    }
    const hash = hashOf(sdl);
    if (hash === servingHash) return count('unchanged');
    const problem = await supergraphProblem(sdl, { ...options, servingSdl });
    if (problem) {
      logger.error(
        { path: options.path, supergraph: hash.slice(0, 12), problem },
        'supergraph reload refused',
      );
      return count('refused');
    }
    try {
      update(sdl);
    } catch (error) {
      logger.error(
        { path: options.path, err: (error as Error).message },
        'supergraph reload refused by the gateway',
      );
      return count('refused');
    }
    servingSdl = sdl;
    servingHash = hash;
    loadedAt.setToCurrentTime();
    logger.info({ path: options.path, supergraph: hash.slice(0, 12) }, 'supergraph reloaded');
    return count('applied');
  };
  // One reload at a time: a SIGHUP during a watcher-triggered reload waits for it, then looks again.
  const reload = async (): Promise<ReloadOutcome> => {
    while (running) await running.catch(() => undefined);
    running = attempt();
    try {
      return await running;
    } finally {
      running = null;
    }
  };

  const hook: SupergraphSdlHook = async ({ update: apply }) => {
    update = apply;
    const path = options.path;
    const watching = path !== null && options.watchIntervalMs > 0;
    const onChange = () => void reload();
    if (watching) watchFile(path, { interval: options.watchIntervalMs, persistent: false }, onChange);
    return {
      supergraphSdl: options.initialSdl,
      cleanup: async () => {
        if (watching) unwatchFile(path, onChange);
        update = null;
      },
    };
  };
  return { hook, reload };
}
