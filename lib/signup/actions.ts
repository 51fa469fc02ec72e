'use server';

import { redirect } from 'next/navigation';
import type { ActionResult } from '@/lib/actions/result';
import { parseInput, toActionFailure } from '@/lib/actions/tenant-action';
import { getEnv } from '@/lib/config/env';
import { getRequestMeta } from '@/lib/http/request-meta';
import { tenantOrigin } from '@/lib/tenant/host';
import { createOrganization } from './create-organization';
import { signupSchema } from './schemas';

/** Root-host sign-up. On success the browser leaves for the new subdomain, signed in by a handoff token. */
export async function signUp(
  _previous: ActionResult<never> | null,
  formData: FormData,
): Promise<ActionResult<never>> {
  let destination: string;
  try {
    const input = parseInput(signupSchema, formData);
    const { slug, token } = await createOrganization(input, await getRequestMeta());
    const env = getEnv();
    destination = `${tenantOrigin(slug, env.rootDomain, env.protocol)}/auth/handoff?token=${encodeURIComponent(token)}`;
  } catch (error) {
    return toActionFailure(error);
  }
  redirect(destination);
}
