import { parseHost } from '@/lib/tenant/host';

/**
 * Where to send a user after signing in, from a `next` value that anyone may have written into a link. The
 * value is resolved exactly as a browser resolves a URL against the organization's origin (which drops tabs
 * and newlines, reads `\` as `/`, and follows `//host` and `scheme:`), and is kept only when it stays on that
 * origin. Prefix checks cannot do this: `/\t/evil.example` passes them and leaves the host.
 *
 * The answer is the normalised path, which resolves to the same URL wherever it is resolved again: on the
 * server, in the browser that follows it, or in middleware building a `next` of its own. Anything else is '/'.
 * Pure, so the sign-in route, middleware and the browser all use this one function.
 */
export function safeRedirectPath(next: string | null | undefined, origin: string): string {
  if (!next) return '/';
  const base = new URL(origin);
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return '/';
  }
  // The protocol too: a `blob:` URL reports the origin of the document that made it.
  if (url.origin !== base.origin || url.protocol !== base.protocol) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can normalise into `//host/...` ('/.//evil.example'), which a browser reads as another host.
  return path.startsWith('/') && !path.startsWith('//') ? path : '/';
}

/**
 * For the redirects that leave the root host for an organization's host (sign-up, "find my organization"):
 * the target only when it is an organization host of this deployment, with the root's scheme; else null.
 */
export function safeTenantUrl(
  target: string | null | undefined,
  rootOrigin: string,
): string | null {
  if (!target) return null;
  const root = new URL(rootOrigin);
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return null;
  }
  if (url.protocol !== root.protocol || url.username || url.password) return null;
  return parseHost(url.host, root.host).kind === 'tenant' ? url.href : null;
}
