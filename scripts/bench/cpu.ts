import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';

/**
 * CPU time (user + system) of groups of processes, from /proc: what a request costs each part of the stack,
 * which stays meaningful when other work shares the machine and wall-clock figures do not.
 */

const TICK_MS = 10; // USER_HZ is 100 on Linux

type Stat = { pid: number; ppid: number; pgrp: number; cpuMs: number; reapedChildrenMs: number };

function readStats(): Stat[] {
  const stats: Stat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: fields start after its last ')'.
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.push({
        pid: Number(entry),
        ppid: Number(fields[1]),
        pgrp: Number(fields[2]),
        cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS,
        reapedChildrenMs: (Number(fields[13]) + Number(fields[14])) * TICK_MS,
      });
    } catch {
      // The process ended while we listed it.
    }
  }
  return stats;
}

export type CpuGroups = Record<string, CpuGroup>;
export type CpuSnapshot = Record<string, number>;

export function snapshotCpu(groups: CpuGroups): CpuSnapshot {
  const stats = readStats();
  const snapshot: CpuSnapshot = {};
  for (const [name, group] of Object.entries(groups)) {
    snapshot[name] = stats
      .filter(group.member)
      .reduce((sum, s) => sum + s.cpuMs + (s.pid === group.reaped ? s.reapedChildrenMs : 0), 0);
  }
  snapshot.bench = (process.cpuUsage().user + process.cpuUsage().system) / 1000;
  return snapshot;
}

export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  return Object.fromEntries(Object.keys(after).map((k) => [k, after[k]! - (before[k] ?? 0)]));
}

export type CpuGroup = { member: (s: Stat) => boolean; reaped?: number };

/** Process-group members: a detached child and everything it started. */
export const inGroup = (pgrp: number): CpuGroup => ({ member: (s) => s.pgrp === pgrp });

/**
 * A parent and its children, counting the children that already exited (PostgreSQL backends do, when a pool
 * closes an idle connection): the parent has reaped their CPU time.
 */
export const withChildren = (pid: number): CpuGroup => ({
  member: (s) => s.pid === pid || s.ppid === pid,
  reaped: pid,
});

/**
 * The server process of a group (the largest one whose command line names `script`: not the tsx launcher in
 * front of it, nor a worker beside it), with its resident memory in MB.
 */
export function serverProcess(
  group: CpuGroup,
  script: string,
): { pid: number; rssMb: number; peakRssMb: number } {
  let found = { pid: 0, rssMb: 0, peakRssMb: 0 };
  for (const stat of readStats().filter(group.member)) {
    try {
      if (!readFileSync(`/proc/${stat.pid}/cmdline`, 'utf8').includes(script)) continue;
      const status = readFileSync(`/proc/${stat.pid}/status`, 'utf8');
      const mb = (field: string) =>
        Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
      const rssMb = mb('VmRSS');
      if (rssMb > found.rssMb) found = { pid: stat.pid, rssMb, peakRssMb: mb('VmHWM') };
    } catch {
      // The process ended while we read it.
    }
  }
  return found;
}

export type Memory = {
  rssMb: number;
  /** The most the process has had resident since it started (VmHWM). */
  peakRssMb: number;
  /** From the process itself (scripts/bench/gc-probe.cjs), when it answered: MB per V8 heap space and more. */
  usage?: Record<string, number>;
  spaces?: Record<string, number>;
  /** The heap still alive after a full collection, forced once the figures above were taken. */
  liveMb?: number;
  /** The resident memory after that collection, once V8 has returned the pages it emptied (a second later). */
  rssAfterGcMb?: number;
  /** The old space then: the live objects in it, and the pages they still occupy. */
  oldAfterGc?: { usedMb: number; committedMb: number };
};

/** A server's resident memory, and where it is, as its GC probe reports on SIGUSR2. */
export async function serverMemory(
  group: CpuGroup,
  script: string,
  gcLog: string,
): Promise<Memory> {
  const { pid, rssMb, peakRssMb } = serverProcess(group, script);
  const report = `${gcLog}.memory.json`;
  rmSync(report, { force: true });
  if (pid) process.kill(pid, 'SIGUSR2');
  // A heap snapshot (BENCH_HEAP_SNAPSHOT=1) takes the probe a minute or so; the report comes after it.
  // Otherwise the report comes a second after the collection (see rssAfterGcMb).
  const waits = process.env.BENCH_HEAP_SNAPSHOT === '1' ? 1200 : 50;
  for (let i = 0; i < waits && !existsSync(report); i++)
    await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(report)) return { rssMb, peakRssMb };
  // BENCH_PROFILE=1: the probe writes the CPU profile once the profiler has handed it over, after the report;
  // the bench would otherwise stop the server first (a long run's profile takes it a few seconds).
  if (pid && process.env.BENCH_PROFILE === '1')
    await settledFile(`${gcLog}.${pid}.cpuprofile`, 60_000);
  return {
    rssMb,
    peakRssMb,
    ...(JSON.parse(readFileSync(report, 'utf8')) as Omit<Memory, 'rssMb' | 'peakRssMb'>),
  };
}

/** Waits until `file` exists and its size has stopped changing, for at most `timeoutMs`. */
async function settledFile(file: string, timeoutMs: number) {
  let size = -1;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 250));
    const now = existsSync(file) ? statSync(file).size : -1;
    if (now > 0 && now === size) return;
    size = now;
  }
}

/** One line per server: RSS, then the probe's figures (heap used and total, each V8 space, external). */
export function describeMemory(label: string, m: Memory) {
  const spaces = Object.entries(m.spaces ?? {})
    .filter(([, mb]) => mb >= 1)
    .map(([name, mb]) => `${name.replace(/_space$/, '')} ${mb}`)
    .join(', ');
  const usage = m.usage
    ? `heap ${m.usage.heapUsed}/${m.usage.heapTotal} MB, ${m.liveMb ?? '?'} alive after a full GC, external ${m.usage.external}, array buffers ${m.usage.arrayBuffers}; spaces: ${spaces}`
    : 'no probe report';
  const old = m.oldAfterGc;
  const afterGc =
    m.rssAfterGcMb === undefined
      ? ''
      : `, ${m.rssAfterGcMb} a second after a full GC${old ? ` (old space ${old.usedMb} live in ${old.committedMb})` : ''}`;
  return `${label}: RSS ${m.rssMb.toFixed(0)} MB${afterGc}, peak ${m.peakRssMb.toFixed(0)} (${usage})`;
}
