import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getHeapSpaceStatistics } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type MemoryReturn,
  type QuietMemoryOptions,
  returnMemoryWhenQuiet,
} from '../../scripts/idle-memory';

const MB = 1024 * 1024;
const space = (name: string) =>
  getHeapSpaceStatistics().find((s) => s.space_name === name)?.space_size ?? 0;
const oldSpace = () => space('old_space');
const youngSpace = () => space('new_space');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What a load leaves behind: objects that lived long enough to be promoted, of which a few stay alive on
 * every page (one in 40 here), so no page is empty and a collection that does not compact frees none.
 */
function leaveFragmentedOldSpace() {
  const before = oldSpace();
  let all: { id: number; name: string; tags: number[] }[] = [];
  for (let i = 0; i < 600_000; i++) all.push({ id: i, name: `task ${i}`, tags: [i, i + 1] });
  const survivors = all.filter((_, i) => i % 40 === 0);
  all = [];
  // Then requests' short-lived objects, which leave the young generation holding garbage only.
  let sum = 0;
  for (let i = 0; i < 2_000_000; i++) sum += { id: i, name: `request ${i}` }.name.length;
  return { survivors, grownBy: oldSpace() - before, sum };
}

let server: Server | undefined;
let quiet: ReturnType<typeof returnMemoryWhenQuiet> | undefined;
afterEach(async () => {
  quiet?.stop();
  quiet = undefined;
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function startServer() {
  server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const get = (port: number) =>
  new Promise<void>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/' }, (res) => {
      res.resume();
      res.on('end', resolve);
    })
      .on('error', reject)
      .end();
  });

/** Watches the test's server with short timings (a quiet window of half a second, 16 MB of growth). */
function watch(options: Partial<QuietMemoryOptions> = {}) {
  if (!server) throw new Error('start the server first');
  const returns: MemoryReturn[] = [];
  quiet = returnMemoryWhenQuiet(server, {
    busy: () => false,
    quietMs: 500,
    quietRequests: 0,
    growthBytes: 16 * MB,
    onReturn: (r) => returns.push(r),
    ...options,
  });
  return returns;
}

/** Resolves with the first return, or undefined if none came within `ms`. */
async function firstReturn(returns: MemoryReturn[], ms: number) {
  for (const deadline = Date.now() + ms; Date.now() < deadline && returns.length === 0; )
    await sleep(50);
  return returns[0];
}

describe('returning memory once the server is quiet', () => {
  it('compacts the old space a load left behind and releases its emptied pages', async () => {
    await startServer();
    const returns = watch();
    expect(quiet?.enabled).toBe(true);
    const { survivors, grownBy } = leaveFragmentedOldSpace();
    expect(grownBy).toBeGreaterThan(40 * MB);
    const result = await firstReturn(returns, 5_000);
    expect(result?.step).toBe('compaction');
    if (!result) return;
    expect(result.oldSpaceBefore - result.oldSpaceAfter).toBeGreaterThan(30 * MB);
    expect(result.heapUsedAfter).toBeLessThan(result.heapUsedBefore);
    expect(oldSpace()).toBeLessThan(result.oldSpaceBefore - 30 * MB);
    // The objects still referenced came through the move intact.
    expect(survivors).toHaveLength(15_000);
    expect(survivors[14_999]).toEqual({
      id: 599_960,
      name: 'task 599960',
      tags: [599_960, 599_961],
    });
    // Once is enough: without new growth, the next quiet ticks leave the heap alone.
    await sleep(1_000);
    expect(returns).toHaveLength(1);
  });

  it('waits while requests keep coming, and returns the memory once they stop', async () => {
    const port = await startServer();
    const returns = watch({ quietRequests: 2 });
    const { survivors } = leaveFragmentedOldSpace();
    // Twenty requests a second for two seconds: far more than two in any half second.
    for (const until = Date.now() + 2_000; Date.now() < until; ) {
      await get(port);
      await sleep(50);
    }
    expect(returns).toHaveLength(0);
    expect(await firstReturn(returns, 5_000)).toBeDefined();
    expect(survivors).toHaveLength(15_000);
  });

  it('never while a request is in flight, nor for a growth below the threshold', async () => {
    await startServer();
    let busy = true;
    const returns = watch({ busy: () => busy });
    const { survivors } = leaveFragmentedOldSpace();
    expect(await firstReturn(returns, 1_500)).toBeUndefined();
    busy = false;
    expect(await firstReturn(returns, 5_000)).toBeDefined();
    quiet?.stop();

    // The same garbage again, under a threshold it does not reach.
    const small = watch({ growthBytes: 1024 * MB });
    const again = leaveFragmentedOldSpace();
    expect(await firstReturn(small, 1_500)).toBeUndefined();
    expect(survivors.length + again.survivors.length).toBe(30_000);
  });

  it('shrinks the young generation a load grew, once V8 has measured the quiet alone', async () => {
    await startServer();
    // No compaction in this test: its threshold is out of reach.
    const returns = watch({ growthBytes: 1024 * MB, youngBytes: 4 * MB, youngAfterMs: 6_000 });
    const { survivors } = leaveFragmentedOldSpace();
    expect(youngSpace()).toBeGreaterThan(4 * MB);
    const result = await firstReturn(returns, 15_000);
    expect(result?.step).toBe('young');
    if (!result) return;
    expect(result.youngBefore).toBeGreaterThan(4 * MB);
    expect(result.youngAfter).toBeLessThan(result.youngBefore / 4);
    expect(result.ms).toBeLessThan(100);
    expect(survivors).toHaveLength(15_000);
    // Once per quiet spell.
    await sleep(1_000);
    expect(returns).toHaveLength(1);
  });
});
