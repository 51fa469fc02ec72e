import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * What the current request has learned about itself, for its log lines and its access-log line. The server in
 * front of Next.js (scripts/serve.ts) opens it; code inside Next.js fills in the tenant and the user once
 * it has resolved them.
 */
export type RequestContext = {
  readonly requestId: string;
  /** The organization's slug as the host names it (known or not); absent on the root host. */
  readonly tenantSlug?: string;
  /** Set once the host's tenant resolved to an active organization. */
  tenantId?: string;
  /** Set once the request's session check found a member. */
  userId?: string;
};

/**
 * One store per process, on globalThis: Next.js bundles this module into several server bundles besides the
 * copy the custom server loads, and they must all see the same context.
 */
const KEY = Symbol.for('tenantry.requestContext');
const holder = globalThis as { [KEY]?: AsyncLocalStorage<RequestContext> };
holder[KEY] ??= new AsyncLocalStorage<RequestContext>();
const storage = holder[KEY];

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function noteRequestTenant(tenantId: string) {
  const context = storage.getStore();
  if (context) context.tenantId = tenantId;
}

export function noteRequestUser(userId: string) {
  const context = storage.getStore();
  if (context) context.userId = userId;
}

/**
 * A proxy's or client's request id is kept when it is a short token of safe characters, so one id follows a
 * request through every hop; anything else (long, or carrying characters a log reader or a header could
 * misread) is replaced.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function acceptRequestId(sent: string | string[] | undefined): string {
  return typeof sent === 'string' && SAFE_REQUEST_ID.test(sent) ? sent : randomUUID();
}
