import type { Env } from '@/lib/config/env';

/**
 * Headers every response carries. The Content-Security-Policy uses a per-request nonce, which Next.js reads
 * from the request's own CSP header and puts on the scripts it renders; `strict-dynamic` lets those load
 * their chunks and nothing else.
 */
export function securityHeaders(env: Pick<Env, 'isProduction' | 'protocol'>, nonce: string) {
  const scriptSrc = [`'self'`, `'nonce-${nonce}'`, `'strict-dynamic'`];
  // React's development build evaluates code for its debugging aids.
  if (!env.isProduction) scriptSrc.push(`'unsafe-eval'`);
  const csp = [
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
  const headers: Record<string, string> = {
    'Content-Security-Policy': csp,
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
