'use server';

import type { ActionResult } from '@/lib/actions/result';
import { parseInput, toActionFailure } from '@/lib/actions/tenant-action';
import { getEnv } from '@/lib/config/env';
import { getRequestMeta } from '@/lib/http/request-meta';
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
    const { slug, token } = await createOrganization(input, await getRequestMeta());
    const env = getEnv();
    const redirectTo = `${tenantOrigin(slug, env.rootDomain, env.protocol)}/auth/handoff?token=${encodeURIComponent(token)}`;
    return { ok: true, data: { redirectTo } };
  } catch (error) {
    return toActionFailure(error);
  }
}
