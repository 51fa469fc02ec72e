import 'server-only';
import { crossHostSignInUrl } from '@/lib/auth/cross-host';
import { getRequestMeta } from '@/lib/http/request-meta';
import { createOrganization } from './create-organization';
import type { SignupInput } from './schemas';

/**
 * POST /api/signup on the root host. On success the browser leaves for the new subdomain, signed in by a
 * handoff token (or to its second-factor step): the client navigates itself, since the target is another
 * origin.
 */
export async function signUp(input: SignupInput): Promise<{ redirectTo: string }> {
  // The verification mail is queued with the organization; the new owner never waits for its delivery.
  const { slug, ...step } = await createOrganization(input, await getRequestMeta());
  return { redirectTo: crossHostSignInUrl(slug, step) };
}
