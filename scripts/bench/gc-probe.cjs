// Loaded into the benchmarked app server (`--require`, scripts/bench/stack.ts): appends each major garbage
// collection (mark-compact) to the file BENCH_GC_LOG names, as "<start, epoch ms> <pause ms>" lines, so that
// the bench can say in which measurement windows the app server paused. One observer, few lines: a major
// collection comes every few tens of seconds under load.
const { appendFileSync, readFileSync, writeFileSync } = require('node:fs');
const { PerformanceObserver, constants } = require('node:perf_hooks');
const v8 = require('node:v8');

const file = process.env.BENCH_GC_LOG;
// BENCH_GC_TRACE=1: a line a second, and one after each major collection, to "<BENCH_GC_LOG>.trace": the time,
// the resident memory, the heap in use and committed, and the old space in use and committed (MB). What makes
// a process's resident memory at one moment: how far into its collection cycle it is, and how large the heap
// grew under the load.
const trace = file && process.env.BENCH_GC_TRACE === '1';
if (file && !globalThis.tenantryBenchGcProbe) {
  globalThis.tenantryBenchGcProbe = true;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      const start = performance.timeOrigin + entry.startTime;
      appendFileSync(file, `${start.toFixed(1)} ${entry.duration.toFixed(1)}\n`);
      if (trace) traceHeap('major');
    }
  }).observe({ entryTypes: ['gc'] });
}

const oldSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
/** The process's memory map now, mapping by mapping, to "<BENCH_GC_LOG>.<name>". */
const writeSmaps = (name) =>
  writeFileSync(`${file}.${name}`, readFileSync('/proc/self/smaps', 'utf8'));

function traceHeap(what) {
  const mb = (n) => (n / 1048576).toFixed(1);
  const old = oldSpace();
  const heap = v8.getHeapStatistics();
  appendFileSync(
    `${file}.trace`,
    `${Date.now()} ${what} rss ${mb(process.memoryUsage.rss())} heap ${mb(heap.used_heap_size)}/${mb(heap.total_heap_size)} old ${mb(old.space_used_size)}/${mb(old.space_size)}\n`,
  );
}
if (trace && !globalThis.tenantryBenchGcTrace) {
  globalThis.tenantryBenchGcTrace = true;
  setInterval(() => traceHeap('tick'), 1000).unref();
}

// SIGUSR2: writes where the process's memory is (V8's heap spaces, process.memoryUsage, the heap still alive
// after a full collection, and the resident memory and old space a second after it, with the memory map then
// under BENCH_GC_TRACE=1) to "<BENCH_GC_LOG>.memory.json", for the bench's resident-memory breakdown; with
// BENCH_PROFILE=1, also the CPU profile so far to "<BENCH_GC_LOG>.<pid>.cpuprofile" (for
// scripts/bench/profile-summary.ts).
if (file && !globalThis.tenantryBenchMemoryProbe) {
  globalThis.tenantryBenchMemoryProbe = true;
  process.on('SIGUSR2', () => {
    const mb = (n) => Math.round((n / 1024 / 1024) * 10) / 10;
    const spaces = Object.fromEntries(
      v8.getHeapSpaceStatistics().map((s) => [s.space_name, mb(s.space_size)]),
    );
    const usage = Object.fromEntries(
      Object.entries(process.memoryUsage()).map(([k, v]) => [k, mb(v)]),
    );
    // BENCH_GC_TRACE=1: the process's memory map as the load left it, mapping by mapping, for what of the
    // resident memory is not V8's heap (malloc's arenas, code, the native modules).
    if (trace) writeSmaps('smaps');
    // Then what of the heap is alive: a full collection, after the figures above (and the RSS the bench read
    // before signalling) were taken as the load left them.
    v8.setFlagsFromString('--expose-gc');
    require('node:vm').runInNewContext('gc')();
    const liveMb = mb(process.memoryUsage().heapUsed);
    // BENCH_HEAP_SNAPSHOT=1: what that live heap is, for a heap-snapshot viewer (Chrome's DevTools), written
    // before the report that the bench waits for.
    if (process.env.BENCH_HEAP_SNAPSHOT === '1')
      v8.writeHeapSnapshot(`${file}.${process.pid}.heapsnapshot`);
    // The resident memory and old space the process keeps once that garbage is gone: V8 returns the pages a
    // collection emptied from a background thread, within a few hundred milliseconds, not at once. Pages that
    // still hold a live object stay, so the old space left is the live set spread over the pages the load grew.
    // (After a heap snapshot, the RSS also holds what writing it allocated.)
    setTimeout(() => {
      const rssAfterGcMb = mb(process.memoryUsage.rss());
      const old = oldSpace();
      const oldAfterGc = { usedMb: mb(old.space_used_size), committedMb: mb(old.space_size) };
      if (trace) writeSmaps('after-gc.smaps');
      writeFileSync(
        `${file}.memory.json`,
        JSON.stringify({ usage, spaces, liveMb, rssAfterGcMb, oldAfterGc }),
      );
      profiler?.post('Profiler.stop', (error, result) => {
        if (!error)
          writeFileSync(`${file}.${process.pid}.cpuprofile`, JSON.stringify(result.profile));
      });
    }, 1000);
  });
  // BENCH_PROFILE=1: a CPU profile from the start to that same signal, beside the memory report.
  let profiler;
  if (process.env.BENCH_PROFILE === '1') {
    const { Session } = require('node:inspector');
    profiler = new Session();
    profiler.connect();
    profiler.post('Profiler.enable', () => profiler.post('Profiler.start'));
  }
}
