import 'server-only';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { authorize, checkMember, sessionEndedError } from '@/lib/auth/member-check';
import { cookieFromHeader, decodeSessionToken, sessionCookieName } from '@/lib/auth/session-token';
import { getEnv } from '@/lib/config/env';
import { toErrorResponse } from '@/lib/errors/app-error';
import { boardRoute } from '@/lib/tasks/board-route';
import { hostMoveFor, movedResponse } from '@/lib/tenant/lookup';
import { acceptsCoding } from './accept-encoding';
import { type MemberRouteSpec, memberBody } from './member-body';

/**
 * The few member reads the project's server (scripts/serve.ts) answers itself in production, before
 * Next.js: a GET route handler costs Next about a millisecond of CPU of its own (request objects, async
 * storage, the route module), which on the board, read by every open tab after every change, was half of
 * the request. The route is defined once (a MemberRouteSpec) and checked here by the same code Next's route
 * runs: the host's tenant, the session cookie decrypted, the session row, membership and role read in one
 * statement on every request (revocation is never cached), the two-factor requirement, the permission. The
 * server has already overwritten the forwarded headers and set the security headers; the body and headers
 * are the route's (tests/integration/direct-routes.test.ts compares the two).
 */

type DirectRoute = { pattern: RegExp; names: string[]; spec: MemberRouteSpec };

const ROUTES: DirectRoute[] = [
  { pattern: /^\/api\/projects\/([^/]+)\/board$/, names: ['id'], spec: boardRoute },
];

export type DirectMatch = { spec: MemberRouteSpec; params: Record<string, string> };

/** The direct route a GET asks for, or null for anything Next.js answers (any other method, HEAD included). */
export function matchDirectRoute(
  method: string | undefined,
  url: string | undefined,
): DirectMatch | null {
  if (method !== 'GET' || !url) return null;
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  for (const route of ROUTES) {
    const found = route.pattern.exec(path);
    if (!found) continue;
    const params: Record<string, string> = {};
    try {
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(found[i + 1]!);
      });
    } catch {
      return null; // A malformed escape: Next.js answers it as it answers any other such path.
    }
    return { spec: route.spec, params };
  }
  return null;
}

export type DirectAnswer = { status: number; headers: Record<string, string>; body: string };

/** What a request's two facts, its host and its session cookie, get from a direct route. */
export async function answerDirect(
  match: DirectMatch,
  request: { url: string; host: string | null; sessionToken: string | undefined },
): Promise<DirectAnswer> {
  try {
    const moved = movedResponse(await hostMoveFor(request.host), request.url);
    if (moved) return fromResponse(moved);
    const env = getEnv();
    const member = await checkMember(request.host, () =>
      decodeSessionToken(env, request.sessionToken),
    );
    if (!member) throw sessionEndedError();
    authorize(member, match.spec.permission);
    const { text, headers } = memberBody(
      await match.spec.handler({ member, params: match.params }),
    );
    return { status: 200, headers, body: text };
  } catch (error) {
    return fromResponse(toErrorResponse(error));
  }
}

async function fromResponse(response: Response): Promise<DirectAnswer> {
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: await response.text(),
  };
}

const gzipAsync = promisify(gzip);
/** Like Next.js (the `compression` middleware it runs), bodies from 1 KB are gzipped for clients that ask. */
const COMPRESS_FROM_BYTES = 1024;

/**
 * Answers a matched request on the Node.js response. The host is the one scripts/serve.ts wrote into
 * X-Forwarded-Host from the real Host header; the cookie is read as Next.js reads it.
 */
export async function serveDirect(match: DirectMatch, req: IncomingMessage, res: ServerResponse) {
  const host = req.headers['x-forwarded-host'];
  const answer = await answerDirect(match, {
    url: req.url ?? '/',
    host: typeof host === 'string' ? host : null,
    sessionToken: cookieFromHeader(req.headers.cookie, sessionCookieName(getEnv())),
  });
  let body: string | Buffer = answer.body;
  const headers = { ...answer.headers, Vary: 'Accept-Encoding' };
  if (
    Buffer.byteLength(body) >= COMPRESS_FROM_BYTES &&
    acceptsCoding(req.headers['accept-encoding'], 'gzip')
  ) {
    body = await gzipAsync(body);
    Object.assign(headers, { 'Content-Encoding': 'gzip' });
  }
  res.writeHead(answer.status, headers);
  res.end(body);
}
