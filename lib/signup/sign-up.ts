import 'server-only';
import { after } from 'next/server';
import { tenantLink } from '@/lib/account/links';
import { getEnv } from '@/lib/config/env';
import { getRequestMeta } from '@/lib/http/request-meta';
import { sendMail } from '@/lib/mail/send';
import { verifyEmailMessage } from '@/lib/mail/templates';
import { tenantOrigin } from '@/lib/tenant/host';
import { createOrganization } from './create-organization';
import type { SignupInput } from './schemas';

/**
 * POST /api/signup on the root host. On success the browser leaves for the new subdomain, signed in by a
 * handoff token (or to its second-factor step): the client navigates itself, since the target is another
 * origin.
 */
export async function signUp(input: SignupInput): Promise<{ redirectTo: string }> {
  const { slug, token, challenge, verification } = await createOrganization(
    input,
    await getRequestMeta(),
  );
  if (verification) {
    // After the response: the new owner should not wait for mail delivery to see their dashboard.
    after(() =>
      sendMail(
        verifyEmailMessage(verification.email, {
          name: verification.name,
          organization: input.organizationName,
          url: tenantLink(slug, '/verify-email', verification.token),
        }),
      ),
    );
  }
  const env = getEnv();
  const origin = tenantOrigin(slug, env.rootDomain, env.protocol);
  // The challenge travels in the fragment, which browsers never send to a server or put in a Referer.
  return {
    redirectTo: token
      ? `${origin}/auth/handoff?token=${encodeURIComponent(token)}`
      : `${origin}/login#challenge=${encodeURIComponent(challenge!)}`,
  };
}
