// Loaded into the benchmarked app server (`--require`, scripts/bench/stack.ts): appends each major garbage
// collection (mark-compact) to the file BENCH_GC_LOG names, as "<start, epoch ms> <pause ms>" lines, so that
// the bench can say in which measurement windows the app server paused. One observer, few lines: a major
// collection comes every few tens of seconds under load.
const { appendFileSync } = require('node:fs');
const { PerformanceObserver, constants } = require('node:perf_hooks');

const file = process.env.BENCH_GC_LOG;
if (file && !globalThis.tenantryBenchGcProbe) {
  globalThis.tenantryBenchGcProbe = true;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      const start = performance.timeOrigin + entry.startTime;
      appendFileSync(file, `${start.toFixed(1)} ${entry.duration.toFixed(1)}\n`);
    }
  }).observe({ entryTypes: ['gc'] });
}
