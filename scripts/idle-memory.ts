import type { Server } from 'node:http';
import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * What one step did (bytes): a compaction of the old space, or the young generation's semi-spaces shrunk
 * back to their starting size.
 */
export type MemoryReturn = {
  step: 'compaction' | 'young';
  ms: number;
  oldSpaceBefore: number;
  oldSpaceAfter: number;
  youngBefore: number;
  youngAfter: number;
  heapUsedBefore: number;
  heapUsedAfter: number;
};

export type QuietMemoryOptions = {
  /** Whether a request is in flight now: a collection then would make it wait (see trackConnections). */
  busy: () => boolean;
  /** How long the server must have been quiet: 10 s, so a burst's lulls and a benchmark's windows do not count. */
  quietMs?: number;
  /** At most this many requests in that time still count as quiet, such as an orchestrator's health checks. */
  quietRequests?: number;
  /** How much the old space must have grown since the last compaction (or the start) to be worth one: 32 MB. */
  growthBytes?: number;
  /** Young generations above this are shrunk once quiet: 16 MB (it starts at 1-2 MB and grows to 128 under load). */
  youngBytes?: number;
  /** How long after the collection that opens the quiet the young generation's runs: 7 s (see below). */
  youngAfterMs?: number;
  onReturn?: (result: MemoryReturn) => void;
};

const spaceBytes = (name: string) =>
  getHeapSpaceStatistics().find((space) => space.space_name === name)?.space_size ?? 0;
const oldSpaceBytes = () => spaceBytes('old_space');
const youngBytes = () => spaceBytes('new_space');

/**
 * V8's collector (`gc()` a full collection, `gc({ type: 'minor' })` a young one), for this module alone:
 * `--expose-gc` gives it to the contexts created while it is set, so it is set for the one context that
 * fetches it, and the realms made later (Next.js's middleware sandbox) do not get a global `gc`. Undefined
 * where the engine refuses the flag.
 */
function collector(): ((options?: { type: 'minor' }) => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as (options?: { type: 'minor' }) => void) : undefined;
  } catch {
    return undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

/**
 * Gives back the memory a burst of requests left behind, once the server has gone quiet.
 *
 * Under load, V8 lets the old generation grow to 3-4 times what its last major collection left, and the
 * objects that survive are spread over all those pages (scripts/bench.ts gives the figures: 60 to 270 MB of
 * old space every 10-15 s); the young generation's two semi-spaces grow to their maximum (64 MB each under
 * `npm start`). When the load stops, V8's memory reducer is meant to shrink the heap again. In Node 20 it
 * does not, after a load: it judges idleness by the allocation rate its last collections recorded, and with
 * nothing allocating no collection comes to record another, so a quiet server kept what the load left, for
 * hours (RSS 370-750 MB where 125-160 MB would do).
 *
 * So this does it, in two steps, each only when the server has answered at most `quietRequests` requests in
 * the last `quietMs` and none is in flight:
 * - **Compaction**, when the old space has grown by `growthBytes` since the last one: one full collection
 *   that moves the surviving objects together and releases every page it empties (V8's
 *   `--compact-on-every-full-gc`, set for that collection only). It holds the event loop for 80-130 ms with
 *   a 60 MB live heap on two cores; only a request arriving in that moment waits.
 * - **The young generation**, when its semi-spaces are larger than `youngBytes`: V8 shrinks them at a
 *   collection when the allocation rate it measured over its last 5 s is low, and it measures from one
 *   collection to the next. So a first young collection (or the compaction) closes the measurement that
 *   still holds the load's allocations, and a second one `youngAfterMs` later, with only the quiet to
 *   measure, is where V8 shrinks them (2 × 64 MB to 2 × 0.5, a few ms each). Once per quiet spell.
 */
export function returnMemoryWhenQuiet(server: Server, options: QuietMemoryOptions) {
  const {
    busy,
    quietMs = 10_000,
    quietRequests = 10,
    growthBytes = 32 * 1024 * 1024,
    youngAfterMs = 7_000,
  } = options;
  const youngLimit = options.youngBytes ?? 16 * 1024 * 1024;
  const gc = collector();
  // The quiet window in five slices: each tick moves it on by one and counts what the slice saw.
  const slices = 5;
  const counts: number[] = [];
  let requests = 0;
  let baseline = oldSpaceBytes();
  // This quiet spell's young-generation step: when the collection that opened V8's quiet measurement ran,
  // and whether the shrinking collection has run.
  let quietSince: number | undefined;
  let youngDone = false;
  const countRequest = () => {
    requests++;
  };
  server.on('request', countRequest);

  function collect(step: MemoryReturn['step']): MemoryReturn | undefined {
    if (!gc) return undefined;
    const [oldSpaceBefore, youngBefore] = [oldSpaceBytes(), youngBytes()];
    const heapUsedBefore = getHeapStatistics().used_heap_size;
    const started = performance.now();
    if (step === 'young') gc({ type: 'minor' });
    else {
      setFlagsFromString('--compact-on-every-full-gc');
      try {
        gc();
      } finally {
        setFlagsFromString('--no-compact-on-every-full-gc');
      }
      baseline = oldSpaceBytes();
    }
    quietSince = performance.now();
    return {
      step,
      ms: quietSince - started,
      oldSpaceBefore,
      oldSpaceAfter: oldSpaceBytes(),
      youngBefore,
      youngAfter: youngBytes(),
      heapUsedBefore,
      heapUsedAfter: getHeapStatistics().used_heap_size,
    };
  }

  function tick() {
    counts.push(requests);
    requests = 0;
    if (counts.length > slices) counts.shift();
    const quiet =
      counts.length === slices && counts.reduce((sum, n) => sum + n, 0) <= quietRequests;
    // A regular major collection may have released pages since: growth counts from the lowest point.
    baseline = Math.min(baseline, oldSpaceBytes());
    if (!quiet) {
      quietSince = undefined;
      youngDone = false;
      return;
    }
    if (busy()) return;
    if (oldSpaceBytes() - baseline >= growthBytes) {
      const result = collect('compaction');
      if (result) options.onReturn?.(result);
    } else if (!youngDone && youngBytes() > youngLimit) {
      if (quietSince === undefined) collect('young');
      else if (performance.now() - quietSince >= youngAfterMs) {
        youngDone = true;
        const result = collect('young');
        if (result) options.onReturn?.(result);
      }
    }
  }

  const timer = setInterval(tick, quietMs / slices);
  timer.unref();

  return {
    /** Whether this engine lets the server collect its heap (Node's V8 accepts the flags it needs). */
    enabled: gc !== undefined,
    stop() {
      clearInterval(timer);
      server.off('request', countRequest);
    },
  };
}
