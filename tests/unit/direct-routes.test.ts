import { describe, expect, it } from 'vitest';
import { cookieFromHeader } from '@/lib/auth/session-token';
import { acceptsCoding } from '@/lib/http/accept-encoding';
import { matchDirectRoute } from '@/lib/http/direct-routes';
import { boardRoute } from '@/lib/tasks/board-route';

const id = '0b5c3f5e-8f7a-4c1e-9d52-6a1f2b3c4d5e';

/**
 * The routes the project's server answers itself, before Next.js (lib/http/direct-routes.ts): exactly GET of
 * the board path; anything else, including the same path by another method, goes on to Next.js.
 */
describe('which requests the server answers itself', () => {
  it('takes GET of the board, with or without a query, and decodes the id as Next.js would', () => {
    expect(matchDirectRoute('GET', `/api/projects/${id}/board`)).toEqual({
      spec: boardRoute,
      params: { id },
    });
    expect(matchDirectRoute('GET', `/api/projects/${id}/board?since=1`)?.params).toEqual({ id });
    expect(matchDirectRoute('GET', '/api/projects/%61bc/board')?.params).toEqual({ id: 'abc' });
    // A malformed id is still the route's to refuse (404, as Next's route does), not a different path.
    expect(matchDirectRoute('GET', '/api/projects/nope/board')?.params).toEqual({ id: 'nope' });
  });

  it('leaves every other method, path and malformed escape to Next.js', () => {
    for (const [method, url] of [
      ['HEAD', `/api/projects/${id}/board`],
      ['POST', `/api/projects/${id}/board`],
      ['DELETE', `/api/projects/${id}/board`],
      ['GET', `/api/projects/${id}/board/`],
      ['GET', `/api/projects/${id}/boards`],
      ['GET', `/api/projects/${id}/board/extra`],
      ['GET', `/api/projects//board`],
      ['GET', `/api/projects/a/b/board`],
      ['GET', `/x/api/projects/${id}/board`],
      ['GET', `/api/projects/${id}`],
      ['GET', '/api/projects/%E0%A4%A/board'],
      ['GET', '/'],
      [undefined, `/api/projects/${id}/board`],
      ['GET', undefined],
    ] as const)
      expect(matchDirectRoute(method, url), `${method} ${url}`).toBeNull();
  });
});

describe('the session cookie, read from the Cookie header as Next.js reads it', () => {
  const name = 'authjs.session-token';
  it('finds the cookie among others, by its exact name, and decodes it', () => {
    expect(cookieFromHeader(`a=1; ${name}=tok%2Ben; b=2`, name)).toBe('tok+en');
    expect(cookieFromHeader(`${name}=only`, name)).toBe('only');
    expect(cookieFromHeader(`x${name}=no; ${name}x=no`, name)).toBeUndefined();
    expect(cookieFromHeader('', name)).toBeUndefined();
    expect(cookieFromHeader(undefined, name)).toBeUndefined();
  });

  it('takes the last of two cookies of that name and skips a value that does not decode', () => {
    expect(cookieFromHeader(`${name}=first; ${name}=second`, name)).toBe('second');
    expect(cookieFromHeader(`${name}=good; ${name}=%E0%A4%A`, name)).toBe('good');
  });
});

const acceptsGzip = (header: string | undefined) => acceptsCoding(header, 'gzip');

describe('compression, for clients that ask for it', () => {
  it('reads Accept-Encoding with its q-values', () => {
    expect(acceptsGzip('gzip, deflate, br, zstd')).toBe(true);
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('gzip;q=0.000')).toBe(false);
    expect(acceptsGzip('br, deflate')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsCoding('gzip, deflate, br, zstd', 'br')).toBe(true);
    expect(acceptsCoding('gzip, br;q=0', 'br')).toBe(false);
  });
});
