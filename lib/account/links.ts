import { getEnv } from '@/lib/config/env';
import { tenantOrigin } from '@/lib/tenant/host';

/** Links in emails, always on the configured domain of the tenant, whatever host the request named. */
export function tenantLink(slug: string, path: string, token?: string) {
  const env = getEnv();
  const url = new URL(path, tenantOrigin(slug, env.rootDomain, env.protocol));
  if (token) url.searchParams.set('token', token);
  return url.toString();
}
