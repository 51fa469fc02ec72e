import type { Server } from 'node:http';
import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** What one return of memory did: the old space's pages and the heap in use, before and after (bytes). */
export type MemoryReturn = {
  ms: number;
  oldSpaceBefore: number;
  oldSpaceAfter: number;
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
  /** How much the old space must have grown since the last return (or the start) to be worth one: 32 MB. */
  growthBytes?: number;
  onReturn?: (result: MemoryReturn) => void;
};

const oldSpaceBytes = () =>
  getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')?.space_size ?? 0;

/**
 * V8's full collection, for this module alone: `--expose-gc` gives it to the contexts created while it is set,
 * so it is set for the one context that fetches it, and the realms made later (Next.js's middleware sandbox)
 * do not get a global `gc`. Undefined where the engine refuses the flag.
 */
function fullCollection(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
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
 * old space every 10-15 s). When the load stops, V8's memory reducer is meant to shrink the heap with
 * collections that compact it. In Node 20 it never does after a load: it judges idleness by the allocation
 * rate its last collections recorded, and with nothing allocating no collection comes to record another, so a
 * quiet server kept whatever the load left, for hours (RSS 370-750 MB where 240 MB would do).
 *
 * So this does what the memory reducer would have done: when the server has answered at most `quietRequests`
 * requests in the last `quietMs`, none is in flight, and the old space has grown by `growthBytes` since the
 * last return, it runs one full collection that moves the surviving objects together and releases every
 * page it empties (V8's `--compact-on-every-full-gc`, set for that collection only). It holds the event
 * loop for 80-130 ms with a 60 MB live heap on two cores; only a request arriving in that moment waits.
 * The young generation's semi-spaces keep their size (2 × 64 MB under `npm start`): V8 shrinks them only
 * in its own memory-reducing collections, which no flag or API of Node 20 starts.
 */
export function returnMemoryWhenQuiet(server: Server, options: QuietMemoryOptions) {
  const { busy, quietMs = 10_000, quietRequests = 10, growthBytes = 32 * 1024 * 1024 } = options;
  const gc = fullCollection();
  // The quiet window in five slices: each tick moves it on by one and counts what the slice saw.
  const slices = 5;
  const counts: number[] = [];
  let requests = 0;
  let baseline = oldSpaceBytes();
  const countRequest = () => {
    requests++;
  };
  server.on('request', countRequest);

  function returnMemory(): MemoryReturn | undefined {
    if (!gc) return undefined;
    const oldSpaceBefore = oldSpaceBytes();
    const heapUsedBefore = getHeapStatistics().used_heap_size;
    const started = performance.now();
    setFlagsFromString('--compact-on-every-full-gc');
    try {
      gc();
    } finally {
      setFlagsFromString('--no-compact-on-every-full-gc');
    }
    const result = {
      ms: performance.now() - started,
      oldSpaceBefore,
      oldSpaceAfter: oldSpaceBytes(),
      heapUsedBefore,
      heapUsedAfter: getHeapStatistics().used_heap_size,
    };
    baseline = result.oldSpaceAfter;
    options.onReturn?.(result);
    return result;
  }

  const timer = setInterval(() => {
    counts.push(requests);
    requests = 0;
    if (counts.length > slices) counts.shift();
    const quiet =
      counts.length === slices && counts.reduce((sum, n) => sum + n, 0) <= quietRequests;
    if (quiet && !busy() && oldSpaceBytes() - baseline >= growthBytes) returnMemory();
    // A regular major collection may have released pages since: growth counts from the lowest point.
    baseline = Math.min(baseline, oldSpaceBytes());
  }, quietMs / slices);
  timer.unref();

  return {
    /** Whether this engine lets the server compact its heap (Node's V8 accepts the flags it needs). */
    enabled: gc !== undefined,
    /** One return now, whatever the traffic: for tests and tools. */
    returnMemory,
    stop() {
      clearInterval(timer);
      server.off('request', countRequest);
    },
  };
}
