import { NextResponse } from 'next/server';

/**
 * The app's CSP on the HTML page, with a fresh nonce per request as the app's middleware sets it: the bench
 * passes the app's own header set (lib/http/security-headers.ts) in BARE_SECURITY_HEADERS, with `{nonce}`
 * where the nonce goes. Next.js reads the nonce for its scripts from the request's CSP header.
 */
const TEMPLATE = JSON.parse(process.env.BARE_SECURITY_HEADERS ?? '{}');

export function middleware(request) {
  const nonce = btoa(crypto.randomUUID());
  const headers = {};
  for (const [name, value] of Object.entries(TEMPLATE))
    headers[name] = value.replace('{nonce}', nonce);
  const forwarded = new Headers(request.headers);
  forwarded.set('content-security-policy', headers['Content-Security-Policy'] ?? '');
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = { runtime: 'nodejs', matcher: ['/html'] };
