import 'server-only';
import { getEnv } from '@/lib/config/env';
import { getRequestMeta } from '@/lib/http/request-meta';
import { tenantOrigin } from '@/lib/tenant/host';
import { createOrganization } from './create-organization';
import type { SignupInput } from './schemas';

/**
 * POST /api/signup on the root host. On success the browser leaves for the new subdomain, signed in by a
 * handoff token (or to its second-factor step): the client navigates itself, since the target is another
 * origin.
 */
export async function signUp(input: SignupInput): Promise<{ redirectTo: string }> {
  // The verification mail is queued with the organization; the new owner never waits for its delivery.
  const { slug, token, challenge } = await createOrganization(input, await getRequestMeta());
  const env = getEnv();
  const origin = tenantOrigin(slug, env.rootDomain, env.protocol);
  // The challenge travels in the fragment, which browsers never send to a server or put in a Referer.
  return {
    redirectTo: token
      ? `${origin}/auth/handoff?token=${encodeURIComponent(token)}`
      : `${origin}/login#challenge=${encodeURIComponent(challenge!)}`,
  };
}
