import { describe, expect, it } from 'vitest';
import { RevisionCache } from '@/lib/cache/revision-cache';

describe('RevisionCache', () => {
  it('returns a value only at the revision it was stored at', () => {
    const cache = new RevisionCache(10_000);
    cache.set('t/p', '7', '{"a":1}');
    expect(cache.get('t/p', '7')).toBe('{"a":1}');
    expect(cache.get('t/p', '8')).toBeUndefined();
    expect(cache.get('t/other', '7')).toBeUndefined();
  });

  it('keeps the later of two reads that finish out of order', () => {
    const cache = new RevisionCache(10_000);
    cache.set('t/p', '12', 'newer');
    cache.set('t/p', '9', 'older');
    expect(cache.get('t/p', '12')).toBe('newer');
    cache.set('t/p', '13', 'newest');
    expect(cache.get('t/p', '13')).toBe('newest');
  });

  it('drops the least recently used entries once past its size, and never holds more', () => {
    const text = 'x'.repeat(1_000);
    const cache = new RevisionCache(3 * (2 * (3 + text.length) + 64));
    cache.set('t/1', '1', text);
    cache.set('t/2', '1', text);
    cache.set('t/3', '1', text);
    expect(cache.get('t/1', '1')).toBe(text);
    cache.set('t/4', '1', text);
    expect(cache.get('t/2', '1')).toBeUndefined();
    expect(cache.get('t/1', '1')).toBe(text);
    expect(cache.size).toBe(3);
    expect(cache.totalBytes).toBeLessThanOrEqual(cache.maxBytes);
  });

  it('stores nothing bigger than itself, and nothing at all when its size is 0', () => {
    const small = new RevisionCache(100);
    small.set('t/p', '1', 'y'.repeat(1_000));
    expect(small.size).toBe(0);
    const off = new RevisionCache(0);
    off.set('t/p', '1', '{}');
    expect(off.get('t/p', '1')).toBeUndefined();
    expect(off.totalBytes).toBe(0);
  });
});
