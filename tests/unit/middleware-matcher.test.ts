import { unstable_doesMiddlewareMatch } from 'next/experimental/testing/server';
import { describe, expect, it } from 'vitest';
import { NON_PAGE_CSP, pageCsp, securityHeaders } from '@/lib/http/security-headers';
import { config } from '@/middleware';

const runsFor = (path: string) =>
  unstable_doesMiddlewareMatch({ config, url: `http://acme.localhost:3000${path}` });

/**
 * Middleware runs for pages only (its rewrite, sign-in redirect and page CSP with a nonce). Route handlers
 * under /api/ and static files skip it, so the server in front sets their headers (scripts/serve.ts).
 */
describe('where middleware runs', () => {
  it('runs for every page, on both hosts, and for the internal segment it refuses', () => {
    for (const path of [
      '/',
      '/login',
      '/settings/members',
      '/projects/123',
      '/auth/handoff',
      '/tenant/acme',
      '/api',
      '/apiary',
      '/_next/data/x.json',
    ])
      expect(runsFor(path), path).toBe(true);
  });

  it('does not run for route handlers under /api/ or static files', () => {
    for (const path of [
      '/api/static',
      '/api/projects/1/board',
      '/api/signup',
      '/_next/static/chunks/main.js',
      '/_next/image?url=x',
      '/favicon.ico',
      '/icon.svg',
      '/robots.txt',
    ])
      expect(runsFor(path), path).toBe(false);
  });
});

describe('security headers', () => {
  it('gives pages a nonce-based CSP and everything else one that allows nothing', () => {
    const env = { isProduction: true, protocol: 'https:' as const };
    const page = securityHeaders(env, 'abc');
    expect(page['Content-Security-Policy']).toBe(pageCsp(env, 'abc'));
    expect(page['Content-Security-Policy']).toContain(`'nonce-abc' 'strict-dynamic'`);
    expect(page['Strict-Transport-Security']).toContain('max-age=');
    expect(NON_PAGE_CSP).toContain(`default-src 'none'`);
    expect(NON_PAGE_CSP).toContain(`frame-ancestors 'none'`);
  });
});
