import type { Env } from '@/lib/config/env';

type HeaderEnv = Pick<Env, 'isProduction' | 'protocol'>;

/**
 * The Content-Security-Policy of an HTML page, with its per-request nonce: Next.js reads the nonce from the
 * request's own CSP header and puts it on the scripts it renders; `strict-dynamic` lets those load their
 * chunks and nothing else. Middleware sets it on every page (and only pages: nothing else runs scripts).
 */
export function pageCsp(env: HeaderEnv, nonce: string) {
  const scriptSrc = [`'self'`, `'nonce-${nonce}'`, `'strict-dynamic'`];
  // React's development build evaluates code for its debugging aids.
  if (!env.isProduction) scriptSrc.push(`'unsafe-eval'`);
  return [
    `default-src 'self'`,
    `script-src ${scriptSrc.join(' ')}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self'`,
    `connect-src 'self' ws: wss:`,
    `frame-ancestors 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `object-src 'none'`,
  ].join('; ');
}

/**
 * The CSP of every response that is not a page (JSON, images, scripts, redirects): nothing in it may load,
 * run or be framed. A page's own CSP replaces it.
 */
export const NON_PAGE_CSP = `default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

/**
 * The headers every response carries, whatever serves it: the server in front of Next.js sets them before
 * Next.js sees the request (scripts/serve.ts), so JSON routes and static files need no middleware for them.
 */
export function fixedSecurityHeaders(env: Pick<Env, 'protocol'>): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': NON_PAGE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  if (env.protocol === 'https:')
    headers['Strict-Transport-Security'] = 'max-age=63072000; includeSubDomains';
  return headers;
}

/** An HTML page's whole header set, for pages answered outside Next.js (scripts/unavailable.ts). */
export function securityHeaders(env: HeaderEnv, nonce: string): Record<string, string> {
  return { ...fixedSecurityHeaders(env), 'Content-Security-Policy': pageCsp(env, nonce) };
}
