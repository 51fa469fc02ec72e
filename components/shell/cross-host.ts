'use client';

import { safeTenantUrl } from '@/lib/auth/safe-redirect';

/**
 * Leaves this organization's host for another one of this deployment, as the server named it, with a plain
 * navigation (another origin), which sends this host as the Referer: the handoff route then signs in at
 * once. The root domain is this host minus its first label (slugs hold no dots); anything that is not an
 * organization host of it goes nowhere.
 */
export function goToOrganizationHost(target: string): boolean {
  const { protocol, host } = window.location;
  const root = `${protocol}//${host.slice(host.indexOf('.') + 1)}`;
  const url = safeTenantUrl(target, root);
  if (url) window.location.assign(url);
  return url !== null;
}
