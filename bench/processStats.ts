import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * CPU and memory of other processes, read from /proc (Linux only). Reading from outside means the
 * measured processes run unmodified production entry points, with no bench hooks inside them.
 */

let ticksPerSecond: number | undefined;

/** USER_HZ, the unit of utime/stime in /proc/<pid>/stat; 100 on almost every Linux. */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU time of the process and its live children (a cluster's workers), in ms. */
export function cpuTimeMs(pid: number): number {
  return ownCpuTimeMs(pid) + descendants(pid).reduce((sum, p) => sum + orZero(() => ownCpuTimeMs(p)), 0);
}

/** A child that exits between listing and reading counts for nothing. */
function orZero(read: () => number): number {
  try {
    return read();
  } catch {
    return 0;
  }
}

/** The process's descendants still running (a cluster primary's workers). */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .map(Number);
  } catch {
    // Gone, or a kernel without CONFIG_PROC_CHILDREN: the process alone.
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function ownCpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
  // What follows starts at field 3 (state), so utime (14) and stime (15) are at indexes 11 and 12.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / clockTicksPerSecond();
}

/** Peak resident set size (VmHWM) of the largest process in the tree, in MiB: the goal is per process. */
export function peakRssMb(pid: number): number {
  return Math.max(ownPeakRssMb(pid), ...descendants(pid).map((p) => orZero(() => ownPeakRssMb(p))));
}

/**
 * Peak RSS (VmHWM) of each process in the tree, in MiB: summed over a deployment's processes it is
 * the memory the deployment asks of its host (issue 25), a cluster's primary and workers included.
 */
export function peakRssOfTreeMb(pid: number): number[] {
  return [ownPeakRssMb(pid), ...descendants(pid).map((p) => orZero(() => ownPeakRssMb(p)))];
}

function ownPeakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(kb) / 1024;
}

/** The named processes that exist: a stack lists no pid for a process it does not run. */
export function presentPids(pids: Readonly<Partial<Record<string, number>>>): Record<string, number> {
  return Object.fromEntries(Object.entries(pids).filter((e): e is [string, number] => e[1] !== undefined));
}

/** Snapshot of CPU time per named process, for before/after deltas around the measured window. */
export function sampleCpu(pids: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuTimeMs(pid)]));
}

/**
 * CPU time the whole machine spent in processes (user + system) or lost to the hypervisor (steal),
 * in ms. Minus our processes' share it shows neighbours: on a shared box their load is the main
 * source of run-to-run noise. Interrupt time is left out: loopback traffic between our own processes
 * is mostly softirq time, charged to no process.
 */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal …
  const [user, nice, system, , , , , steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const ticks = [user, nice, system, steal].reduce<number>((sum, n) => sum + (n ?? 0), 0);
  return (ticks * 1000) / clockTicksPerSecond();
}
