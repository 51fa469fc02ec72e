import { type NextRequest, NextResponse } from 'next/server';
import { REQUEST_PATH_HEADER } from '@/lib/auth/request-path';
import { safeRedirectPath } from '@/lib/auth/safe-redirect';
import { getEnv } from '@/lib/config/env';
import { pageCsp } from '@/lib/http/security-headers';
import { parseHost, requestHost, tenantOrigin } from '@/lib/tenant/host';

/** The internal route segment that serves tenant hosts; never reachable by its own path. */
const TENANT_SEGMENT = '/tenant';
const SESSION_COOKIES = ['authjs.session-token', '__Host-authjs.session-token'];
/** Tenant pages a signed-out visitor may open. */
const PUBLIC_TENANT_PATHS = [
  '/login',
  '/auth/handoff',
  '/auth/handoff/confirm',
  '/forgot-password',
  '/reset-password',
  '/verify-email',
  '/unlock',
  '/confirm-email-change',
  '/invitations/accept',
  '/join',
  '/join/complete',
];

/**
 * Pages only (see `config.matcher`): parses the host once and routes: the root host serves the root pages,
 * `<slug>.<root>` is rewritten into the tenant segment. No database access here; pages and handlers verify
 * the session for real. The headers that do not change per request are set by the server in front
 * (scripts/serve.ts) on every response; this adds the page's CSP with its fresh nonce.
 */
export function middleware(request: NextRequest) {
  const env = getEnv();
  const csp = pageCsp(env, btoa(crypto.randomUUID()));
  const response = route(request, env, csp);
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

function route(request: NextRequest, env: ReturnType<typeof getEnv>, csp: string) {
  const { pathname, search } = request.nextUrl;
  // Next.js takes the nonce for its own scripts from the request's CSP header.
  const forwarded = new Headers(request.headers);
  forwarded.set('content-security-policy', csp);
  // Pages see only the rewritten path; an organization's former address sends the browser on to this one.
  forwarded.set(REQUEST_PATH_HEADER, pathname + search);
  if (pathname === TENANT_SEGMENT || pathname.startsWith(`${TENANT_SEGMENT}/`)) {
    return new NextResponse('Not found', { status: 404 });
  }
  const host = requestHost(request.headers);
  const parsed = parseHost(host, env.rootDomain);
  if (parsed.kind === 'root') {
    return NextResponse.next({ request: { headers: forwarded } });
  }

  // Unknown and reserved hosts render the friendly "no organization" page through the same segment.
  const slug = parsed.kind === 'tenant' ? parsed.slug : '-';
  if (parsed.kind === 'tenant' && !PUBLIC_TENANT_PATHS.includes(pathname)) {
    const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
    if (!hasSession) {
      // Built from configuration: behind the project's server, request.url may name the internal host.
      const origin = tenantOrigin(parsed.slug, env.rootDomain, env.protocol);
      const login = new URL('/login', origin);
      // Through the same check as the sign-in that reads it: `//evil.example` is a path to Next.js.
      const next = safeRedirectPath(pathname + search, origin);
      if (next !== '/') login.searchParams.set('next', next);
      return NextResponse.redirect(login);
    }
  }
  const url = request.nextUrl.clone();
  url.pathname = `${TENANT_SEGMENT}/${slug}${pathname === '/' ? '' : pathname}`;
  return NextResponse.rewrite(url, { request: { headers: forwarded } });
}

/**
 * Route handlers under /api/ answer JSON, files and redirects, never a page: they need neither a nonce nor
 * the rewrite (they read the tenant from the host themselves), so middleware does not run for them at all,
 * nor for static files. What middleware costs on every request it runs for is about a third of the
 * framework's throughput (`npm run bench`).
 */
export const config = {
  runtime: 'nodejs',
  matcher: ['/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)'],
};
