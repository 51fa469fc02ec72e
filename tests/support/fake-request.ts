import { AsyncLocalStorage } from 'node:async_hooks';
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

const concurrent = new AsyncLocalStorage<RequestContext>();

/**
 * Runs `fn` as a request of its own (host and session pointer), so that several requests can be in flight
 * at once, each seeing its own: `request` stays what the rest of the test set.
 */
export function asRequest<T>(context: RequestContext, fn: () => Promise<T>): Promise<T> {
  return concurrent.run(context, fn);
}

const current = () => concurrent.getStore() ?? request;

export async function headers() {
  return new Headers({
    'x-forwarded-host': current().host,
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
  return current().pointer;
}
