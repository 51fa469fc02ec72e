import { AsyncLocalStorage } from 'node:async_hooks';
import * as fake from './fake-request';
import type { RequestContext } from './orgs';

/**
 * The fake request (./fake-request.ts) for tests that run several requests at the same moment: each call
 * made inside `asRequest` sees its own host and session, wherever its awaits interleave with the others'.
 * Outside `asRequest`, the shared fake request. Mock with it as with ./fake-request.ts.
 */
const current = new AsyncLocalStorage<RequestContext>();

const active = () => {
  const own = current.getStore();
  return own ? { ...fake.request, ...own } : fake.request;
};

export const request = fake.request;

export function asRequest<T>(context: RequestContext, fn: () => Promise<T>): Promise<T> {
  return current.run({ host: context.host, pointer: context.pointer }, fn);
}

export async function headers() {
  const r = active();
  return new Headers({
    'x-forwarded-host': r.host,
    'x-forwarded-for': r.ip,
    'user-agent': 'vitest',
  });
}

export const cookies = fake.cookies;

export async function getSessionPointer() {
  return active().pointer;
}
