import 'server-only';
import type { Transaction } from '@/db/client';
import type { Role, Tenant } from '@/db/schema';
import { tenantLink } from '@/lib/account/links';
import { queueMail } from '@/lib/mail/queue-mail';
import { invitationMessage } from '@/lib/mail/templates';
import type { RealtimeEvent } from '@/lib/realtime/outbox';
import { issueToken, retireTokens, TOKEN_TTL_SECONDS } from '@/lib/tokens/single-use';

export const ACCEPT_PATH = '/invitations/accept';
export const INVITATION_TTL_DAYS = TOKEN_TTL_SECONDS.invitation / 86_400;

type Mailed = { id: string; email: string; role: Role };

/**
 * Issues the invitation's link (a new one retires any earlier link of the same invitation) and queues its
 * mail, both in the caller's transaction: the mail leaves exactly when the invitation it carries exists.
 */
export async function mailInvitation(
  tx: Transaction,
  p: { tenant: Pick<Tenant, 'id' | 'slug' | 'name'>; inviterName: string; invitation: Mailed },
) {
  const { tenant, invitation } = p;
  await retireTokens(tx, { tenantId: tenant.id, purpose: 'invitation', subjectId: invitation.id });
  const token = await issueToken(tx, {
    tenantId: tenant.id,
    purpose: 'invitation',
    email: invitation.email,
    subjectId: invitation.id,
  });
  await queueMail(
    tx,
    tenant.id,
    invitationMessage(invitation.email, {
      organization: tenant.name,
      inviter: p.inviterName,
      role: invitation.role,
      url: tenantLink(tenant.slug, ACCEPT_PATH, token),
      expiresInDays: INVITATION_TTL_DAYS,
    }),
  );
}

/**
 * Invitation events name people by email, so they go to the organization's admins only, never over the
 * channel every member hears.
 */
export const invitationEvent = (
  name: string,
  invitation: { id: string; email: string; role: Role; status: string },
): RealtimeEvent => ({
  name,
  audience: 'admins',
  payload: {
    invitationId: invitation.id,
    email: invitation.email,
    role: invitation.role,
    status: invitation.status,
  },
});
