import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchServerStatus } from '@/components/errors/server-status';

/** A server whose endpoints answer these statuses (404 for any other); returns the paths asked, in order. */
function stubServer(statuses: Record<string, number | 'network error'>) {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    asked.push(url);
    const status = statuses[url] ?? 404;
    if (status === 'network error') throw new TypeError('Failed to fetch');
    return new Response(null, { status });
  });
  return asked;
}

const statusWith = (statuses: Parameters<typeof stubServer>[0]) => {
  stubServer(statuses);
  return fetchServerStatus();
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the status the error page reads', () => {
  it('is unavailable when the readiness endpoint answers 503, without asking further', async () => {
    const asked = stubServer({ '/api/ready': 503, '/api/health': 200 });
    expect(await fetchServerStatus()).toBe('unavailable');
    expect(asked).toEqual(['/api/ready']);
  });

  it('asks /api/health when there is no /api/ready', async () => {
    expect(await statusWith({ '/api/health': 503 })).toBe('unavailable');
    expect(await statusWith({ '/api/health': 200 })).toBe('up');
  });

  it('is unknown for any other failure, and when the server cannot be reached at all', async () => {
    expect(await statusWith({ '/api/ready': 500 })).toBe('unknown');
    expect(await statusWith({ '/api/ready': 'network error' })).toBe('unknown');
    expect(await statusWith({})).toBe('unknown');
  });
});
