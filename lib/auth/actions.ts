'use server';

import { z } from 'zod';
import type { ActionResult } from '@/lib/actions/result';
import { parseInput, toActionFailure } from '@/lib/actions/tenant-action';
import { getEnv } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { getRequestMeta } from '@/lib/http/request-meta';
import { disconnectSessions } from '@/lib/realtime/pusher';
import { tenantOrigin } from '@/lib/tenant/host';
import { findTenantBySlug } from '@/lib/tenant/resolve';
import { slugSchema } from '@/lib/tenant/slugs';
import { signOut } from './auth';
import { getCurrentMember, revokeSession } from './session';

export async function signOutAction(): Promise<void> {
  const member = await getCurrentMember();
  if (member) {
    await revokeSession(member, (await getRequestMeta()).ip);
    await disconnectSessions([member.sessionId]);
  }
  await signOut({ redirectTo: '/login' });
}

const organizationAddressSchema = z.object({
  address: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'Enter your organization’s address.')
    .transform((v) => v.replace(/^https?:\/\//, '').split(/[./:]/)[0] ?? '')
    .pipe(slugSchema),
});

/** Root-host "sign in": finds the organization by its address; the client then goes to its sign-in page. */
export async function goToOrganization(
  _previous: ActionResult<{ redirectTo: string }> | null,
  formData: FormData,
): Promise<ActionResult<{ redirectTo: string }>> {
  try {
    const { address } = parseInput(organizationAddressSchema, formData);
    const tenant = await findTenantBySlug(address);
    if (!tenant) {
      throw new AppError('not_found', 'There is no organization at this address.', {
        fieldErrors: { address: 'There is no organization at this address. Check the spelling.' },
      });
    }
    const env = getEnv();
    return {
      ok: true,
      data: { redirectTo: `${tenantOrigin(tenant.slug, env.rootDomain, env.protocol)}/login` },
    };
  } catch (error) {
    return toActionFailure(error);
  }
}
