'use server';

import { after } from 'next/server';
import { tenantLink } from '@/lib/account/links';
import type { ActionResult } from '@/lib/actions/result';
import { parseInput, toActionFailure } from '@/lib/actions/tenant-action';
import { getEnv } from '@/lib/config/env';
import { getRequestMeta } from '@/lib/http/request-meta';
import { sendMail } from '@/lib/mail/send';
import { verifyEmailMessage } from '@/lib/mail/templates';
import { tenantOrigin } from '@/lib/tenant/host';
import { createOrganization } from './create-organization';
import { signupSchema } from './schemas';

/**
 * Root-host sign-up. On success the browser leaves for the new subdomain, signed in by a handoff token. The
 * client navigates itself: a server-action redirect to another origin would first try (and fail) to fetch
 * the page cross-origin.
 */
export async function signUp(
  _previous: ActionResult<{ redirectTo: string }> | null,
  formData: FormData,
): Promise<ActionResult<{ redirectTo: string }>> {
  try {
    const input = parseInput(signupSchema, formData);
    const { slug, token, verification } = await createOrganization(input, await getRequestMeta());
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
    const redirectTo = `${tenantOrigin(slug, env.rootDomain, env.protocol)}/auth/handoff?token=${encodeURIComponent(token)}`;
    return { ok: true, data: { redirectTo } };
  } catch (error) {
    return toActionFailure(error);
  }
}
