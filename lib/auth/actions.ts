'use server';

import { z } from 'zod';
import { publicAction } from '@/lib/actions/chain';
import { getEnv } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { getRequestMeta } from '@/lib/http/request-meta';
import { disconnectSessions } from '@/lib/realtime/pusher';
import { tenantOrigin } from '@/lib/tenant/host';
import { findTenantBySlug } from '@/lib/tenant/resolve';
import { slugSchema } from '@/lib/tenant/slugs';
import { signOut } from './auth';
import { getCurrentMember, revokeSession } from './session';

const signOutOfThisSession = publicAction({ schema: z.unknown() }, async () => {
  const member = await getCurrentMember();
  if (member) {
    await revokeSession(member, (await getRequestMeta()).ip);
    await disconnectSessions([member.sessionId]);
  }
  // Throws Next's redirect, which the chain passes through as control flow.
  await signOut({ redirectTo: '/login' });
});

/** The shell's sign-out form: ends this session (and its realtime connections), then goes to sign-in. */
export async function signOutAction(data: FormData): Promise<void> {
  await signOutOfThisSession(data);
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
export const goToOrganization = publicAction(
  { schema: organizationAddressSchema },
  async ({ address }) => {
    const tenant = await findTenantBySlug(address);
    if (!tenant) {
      throw new AppError('not_found', 'There is no organization at this address.', {
        fieldErrors: { address: 'There is no organization at this address. Check the spelling.' },
      });
    }
    const env = getEnv();
    return { redirectTo: `${tenantOrigin(tenant.slug, env.rootDomain, env.protocol)}/login` };
  },
);
