import type { RequestContext } from './orgs';

/**
 * The request the code under test sees, in integration tests: `next/headers` and the session cookie are
 * mocked with this module (`vi.mock('next/headers', () => import('../support/fake-request'))`, likewise
 * `@/lib/auth/auth`), and a test sets the host, the session pointer, the client address and the cookies it
 * needs. Each test file sets its own `ip`, since rate limits are counted per address in the shared database.
 */
export const request: RequestContext & { ip: string; cookies: Map<string, string> } = {
  host: 'localhost:3000',
  ip: '203.0.113.1',
  pointer: null,
  cookies: new Map(),
};

export async function headers() {
  return new Headers({
    'x-forwarded-host': request.host,
    'x-forwarded-for': request.ip,
    'user-agent': 'vitest',
  });
}

export async function cookies() {
  return {
    get: (name: string) =>
      request.cookies.has(name) ? { name, value: request.cookies.get(name)! } : undefined,
  };
}

export async function getSessionPointer() {
  return request.pointer;
}
