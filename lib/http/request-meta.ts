import 'server-only';
import { headers } from 'next/headers';
import { requestHost } from '@/lib/tenant/host';

/**
 * The client address and user agent of the current request. `x-forwarded-for` is trustworthy here only
 * because the project's server (scripts/serve.ts) overwrites it from the socket unless TRUSTED_PROXY names
 * the proxy in front of it.
 */
export async function getRequestMeta(): Promise<{ ip: string | null; userAgent: string | null }> {
  const h = await headers();
  return {
    ip: h.get('x-forwarded-for')?.split(',')[0]?.trim() || null,
    userAgent: h.get('user-agent')?.slice(0, 512) ?? null,
  };
}

/** The host the browser asked for, as set by the project's server from the real Host header. */
export async function getRequestHost(): Promise<string | null> {
  const h = await headers();
  return requestHost(h);
}
