import 'server-only';
import { AuthError } from 'next-auth';
import type { Tenant } from '@/db/schema';
import { getEnv } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { tenantOrigin } from '@/lib/tenant/host';
import { signIn } from './auth';
import { safeRedirectPath } from './safe-redirect';

/**
 * Only paths of the organization's own host: an open redirect would let a link bounce a freshly signed-in
 * user anywhere. The origin comes from configuration, never from the request.
 */
export function safeNextPath(next: string | undefined, tenant: Pick<Tenant, 'slug'>) {
  const env = getEnv();
  return safeRedirectPath(next, tenantOrigin(tenant.slug, env.rootDomain, env.protocol));
}

/**
 * Opens the session from a handoff token (the last step of every sign-in on a tenant host): the session row
 * is created and the host-only cookie set on the current route handler's response.
 */
export async function openSession(handoffToken: string): Promise<void> {
  try {
    await signIn('handoff', { token: handoffToken, redirect: false });
  } catch (error) {
    if (error instanceof AuthError) {
      throw new AppError('unauthenticated', 'Sign-in did not complete. Please sign in again.');
    }
    throw error;
  }
}
