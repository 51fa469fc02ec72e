'use server';

import { publicAction } from '@/lib/actions/chain';
import { requirePermission } from '@/lib/auth/session';
import { getRequestMeta } from '@/lib/http/request-meta';
import { createOrganizationForMember } from './create';
import { newOrganizationSchema, switchOrganizationSchema } from './schemas';
import { switchToOrganization } from './switch';

/*
 * The switcher's writes. Not `tenantAction`: what they change lives in another organization (a handoff
 * token on its host, a new tenant), so each opens its own transaction there and is audited there
 * (`session.created` with method `switch` when the handoff is redeemed, `organization.created`).
 * `account:manage` is the permission of a member's own account, which stays open while their organization
 * waits for them to set up two-factor sign-in: leaving for another organization is always allowed.
 */

/** Sends the browser, signed in, to another of the user's organizations. */
export const switchOrganization = publicAction(
  { schema: switchOrganizationSchema },
  async ({ organizationId }) =>
    switchToOrganization(await requirePermission('account:manage'), organizationId),
);

/** Creates an organization owned by the signed-in user and sends the browser there, signed in. */
export const createOrganizationFromSwitcher = publicAction(
  { schema: newOrganizationSchema },
  async (input) =>
    createOrganizationForMember(
      await requirePermission('account:manage'),
      input,
      await getRequestMeta(),
    ),
);
