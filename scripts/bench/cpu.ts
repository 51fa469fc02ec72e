import { readdirSync, readFileSync } from 'node:fs';

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
