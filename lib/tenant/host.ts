import { RESERVED_SLUGS } from './reserved-slugs';

export type ParsedHost = { kind: 'root' } | { kind: 'tenant'; slug: string } | { kind: 'unknown' };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Decides what a request's host serves. Only a single label directly under the root domain names a tenant;
 * anything else (other domains, nested subdomains, reserved names) serves no tenant.
 */
export function parseHost(host: string | null | undefined, rootDomain: string): ParsedHost {
  if (!host) return { kind: 'unknown' };
  const h = host.trim().toLowerCase();
  const root = rootDomain.toLowerCase();
  if (h === root) return { kind: 'root' };
  if (!h.endsWith(`.${root}`)) return { kind: 'unknown' };
  const label = h.slice(0, -(root.length + 1));
  if (!LABEL.test(label) || RESERVED_SLUGS.has(label)) return { kind: 'unknown' };
  return { kind: 'tenant', slug: label };
}

/**
 * The host of this deployment that a Referer names: the root, an organization host, or unknown (another
 * site, another scheme or port, no Referer, or nothing parseable). The project's Referrer-Policy
 * (`strict-origin-when-cross-origin`) keeps at least the origin in a Referer between its own hosts.
 */
export function refererHost(
  referer: string | null | undefined,
  rootDomain: string,
  protocol: 'http:' | 'https:',
): ParsedHost {
  if (!referer) return { kind: 'unknown' };
  let url: URL;
  try {
    url = new URL(referer);
  } catch {
    return { kind: 'unknown' };
  }
  if (url.protocol !== protocol || url.username || url.password) return { kind: 'unknown' };
  return parseHost(url.host, rootDomain);
}

/** The public origin of a tenant, built from configuration, never from a request's Host header. */
export function tenantOrigin(slug: string, rootDomain: string, protocol: 'http:' | 'https:') {
  return `${protocol}//${slug}.${rootDomain}`;
}

export function rootOrigin(rootDomain: string, protocol: 'http:' | 'https:') {
  return `${protocol}//${rootDomain}`;
}

/**
 * The host the browser asked for. X-Forwarded-Host is trustworthy here only because the project's server
 * (scripts/serve.ts) always overwrites it from the real Host header.
 */
export function requestHost(headers: Headers): string | null {
  return headers.get('x-forwarded-host') ?? headers.get('host');
}
