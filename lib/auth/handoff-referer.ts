import 'server-only';
import { getEnv } from '@/lib/config/env';
import { refererHost } from '@/lib/tenant/host';
import { findHostMove } from '@/lib/tenant/moved';
import { findTenantBySlug } from '@/lib/tenant/resolve';

/**
 * Whether a handoff link was followed from a page of this app: the root host (sign-up), the host of an
 * existing organization (switching organizations) or an organization's former host (after a rename). A GET navigation carries no Origin, and Sec-Fetch-Site
 * says `cross-site` even between `localhost` and `acme.localhost`, so the Referer decides; a missing one
 * counts as foreign (a link in an email, a chat, or a page that hides its Referer).
 */
export async function isFollowedFromOwnPage(request: Request): Promise<boolean> {
  const env = getEnv();
  const from = refererHost(request.headers.get('referer'), env.rootDomain, env.protocol);
  if (from.kind === 'root') return true;
  if (from.kind !== 'tenant') return false;
  // An organization's former address serves nothing but the way on to its new one (lib/auth/moved-host.ts).
  return (await findTenantBySlug(from.slug)) !== null || (await findHostMove(from.slug)) !== null;
}
