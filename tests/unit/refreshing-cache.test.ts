import { describe, expect, it } from 'vitest';
import { RefreshingCache } from '@/lib/cache/refreshing-cache';

/** A cache over lookups the test answers by hand, on a clock the test moves. */
function setUp(options: { ttlMs?: number; refreshAheadMs?: number; maxEntries?: number } = {}) {
  const clock = { now: 0 };
  const pending: {
    key: string;
    resolve: (v: string | null) => void;
    reject: (e: Error) => void;
  }[] = [];
  const cache = new RefreshingCache<string>({
    ttlMs: options.ttlMs ?? 5_000,
    refreshAheadMs: options.refreshAheadMs ?? 1_000,
    maxEntries: options.maxEntries ?? 100,
    now: () => clock.now,
    load: (key) =>
      new Promise((resolve, reject) => {
        pending.push({ key, resolve, reject });
      }),
  });
  /** Answers the oldest lookup still open, and lets its callbacks run. */
  const answer = async (value: string | null | Error) => {
    const next = pending.shift();
    if (!next) throw new Error('no lookup is open');
    if (value instanceof Error) next.reject(value);
    else next.resolve(value);
    await new Promise((r) => setImmediate(r));
    return next.key;
  };
  return { cache, clock, pending, answer };
}

describe('RefreshingCache', () => {
  it('sends one lookup for requests that miss together, and gives each the result', async () => {
    const { cache, pending, answer } = setUp();
    const gets = Array.from({ length: 20 }, () => cache.get('acme'));
    expect(pending).toHaveLength(1);
    await answer('Acme');
    expect(await Promise.all(gets)).toEqual(Array(20).fill('Acme'));
    expect(await cache.get('acme')).toBe('Acme');
    expect(pending).toHaveLength(0);
  });

  it('counts a value’s life from when its lookup started, and never serves it after that', async () => {
    const { cache, clock, pending, answer } = setUp();
    const first = cache.get('acme');
    clock.now = 2_000; // a slow lookup
    await answer('Acme v1');
    expect(await first).toBe('Acme v1');
    clock.now = 4_999;
    const late = cache.get('acme');
    expect(await late).toBe('Acme v1'); // served, with a refresh started
    clock.now = 5_000; // the refresh has not answered: the value is too old to serve
    const expired = cache.get('acme');
    expect(pending).toHaveLength(1); // the same refresh, not a second lookup
    await answer('Acme v2');
    expect(await expired).toBe('Acme v2');
  });

  it('refreshes a value in the background in its last second, so a busy key never makes a request wait', async () => {
    const { cache, clock, pending, answer } = setUp();
    const first = cache.get('acme');
    await answer('Acme v1');
    await first;
    clock.now = 3_999;
    expect(await cache.get('acme')).toBe('Acme v1');
    expect(pending).toHaveLength(0); // not yet in its last second
    clock.now = 4_000;
    expect(await cache.get('acme')).toBe('Acme v1');
    expect(await cache.get('acme')).toBe('Acme v1');
    expect(pending).toHaveLength(1); // one refresh, however many hits
    await answer('Acme v2');
    clock.now = 8_999; // the refreshed value lives 5 s from its lookup's start
    expect(await cache.get('acme')).toBe('Acme v2');
  });

  it('keeps the value until it expires when a background refresh fails, then lets the next lookup’s error through', async () => {
    const { cache, clock, answer } = setUp();
    const first = cache.get('acme');
    await answer('Acme');
    await first;
    clock.now = 4_500;
    expect(await cache.get('acme')).toBe('Acme');
    await answer(new Error('database unreachable'));
    expect(await cache.get('acme')).toBe('Acme');
    clock.now = 5_000;
    const failing = expect(cache.get('acme')).rejects.toThrow('database unreachable');
    await answer(new Error('database unreachable'));
    await failing;
    // A failed lookup is not kept either: the next request tries again.
    const retry = cache.get('acme');
    await answer('Acme');
    expect(await retry).toBe('Acme');
  });

  it('keeps no absent value, and drops a value at once when a refresh finds it gone', async () => {
    const { cache, clock, pending, answer } = setUp();
    const missing = cache.get('new-org');
    await answer(null);
    expect(await missing).toBeNull();
    const created = cache.get('new-org');
    expect(pending).toHaveLength(1); // looked up again on the next request
    await answer('New org');
    expect(await created).toBe('New org');

    clock.now = 4_500;
    expect(await cache.get('new-org')).toBe('New org');
    await answer(null); // suspended since
    const after = cache.get('new-org');
    expect(pending).toHaveLength(1);
    await answer(null);
    expect(await after).toBeNull();
    expect(cache.size).toBe(0);
  });

  it('drops the oldest stored key once it holds maxEntries', async () => {
    const { cache, pending, answer } = setUp({ maxEntries: 2 });
    for (const key of ['a', 'b', 'c']) {
      const got = cache.get(key);
      await answer(key.toUpperCase());
      await got;
    }
    expect(cache.size).toBe(2);
    expect(await cache.get('c')).toBe('C');
    expect(await cache.get('b')).toBe('B');
    expect(pending).toHaveLength(0);
    const a = cache.get('a');
    expect(pending.map((p) => p.key)).toEqual(['a']);
    await answer('A');
    expect(await a).toBe('A');
  });

  it('forgets a changed key, and keeps no lookup that started before the change', async () => {
    const { cache, clock, pending, answer } = setUp();
    const first = cache.get('acme');
    await answer('Acme');
    expect(await first).toBe('Acme');
    // A refresh ahead starts, then the value changes in this process before it answers.
    clock.now = 4_500;
    expect(await cache.get('acme')).toBe('Acme');
    expect(pending).toHaveLength(1);
    clock.now = 4_600;
    cache.forget('acme');
    clock.now = 4_700;
    const fresh = cache.get('acme');
    expect(pending).toHaveLength(2);
    await answer('Acme (old)');
    await answer('Acme (new)');
    expect(await fresh).toBe('Acme (new)');
    expect(await cache.get('acme')).toBe('Acme (new)');
  });
});
