import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { invitations, memberships, type Role, users } from '@/db/schema';
import type { CurrentMember } from '@/lib/auth/session';
import { canAssignRole } from '@/lib/authz/rules';
import { AppError } from '@/lib/errors/app-error';
import { uniqueViolation } from '@/lib/errors/postgres';
import { TOKEN_TTL_SECONDS } from '@/lib/tokens/single-use';
import { mailInvitation } from './mail';
import type { InviteInput } from './schemas';
import { checkDailyCap, lockInvitationSends, recordSends } from './sends';

const FIX = 'Please correct the highlighted fields.';

export const refuseRole = (message: string) =>
  new AppError('forbidden', message, { fieldErrors: { role: message } });

const refuseAddress = (message: string) =>
  new AppError('conflict', FIX, { fieldErrors: { emails: message } });

export const invitationExpiry = sql`now() + make_interval(secs => ${TOKEN_TTL_SECONDS.invitation})`;

/**
 * Refuses the whole list when any address cannot be invited, naming the first such address in the order it
 * was typed: an active or deactivated member, or a live pending invitation. Returns the pending invitations
 * that ran out, which the new ones replace.
 */
async function checkAddresses(tx: Transaction, tenantId: string, emails: string[]) {
  const members = await tx
    .select({ email: sql<string>`lower(${users.email})`, status: memberships.status })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), inArray(sql`lower(${users.email})`, emails)));
  const pending = await tx
    .select({
      id: invitations.id,
      email: invitations.email,
      live: sql<boolean>`${invitations.expiresAt} > now()`,
    })
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, tenantId),
        eq(invitations.status, 'pending'),
        inArray(invitations.email, emails),
      ),
    );
  const memberStatus = new Map(members.map((m) => [m.email, m.status]));
  const livePending = new Set(pending.filter((p) => p.live).map((p) => p.email));
  for (const email of emails) {
    const status = memberStatus.get(email);
    if (status === 'active') throw refuseAddress(`${email} is already a member.`);
    if (status === 'deactivated') {
      throw refuseAddress(
        `${email} is a deactivated member. Reactivate them on the Members page instead.`,
      );
    }
    if (livePending.has(email)) {
      throw refuseAddress(
        `${email} already has a pending invitation. Resend it from the list below instead.`,
      );
    }
  }
  return pending.filter((p) => !p.live).map((p) => p.id);
}

export type CreatedInvitation = { id: string; email: string; role: Role; status: 'pending' };

/**
 * Invites every address of the list with one role, or none of them: the checks all run before the first
 * write, in one transaction, and the organization's sends are serialized (the cap, the pending check).
 * Removed members may be invited back; accepting reactivates their membership with the new role.
 */
export async function createInvitations(
  tx: Transaction,
  inviter: CurrentMember,
  input: InviteInput,
): Promise<CreatedInvitation[]> {
  const tenantId = inviter.tenant.id;
  if (!canAssignRole(inviter, input.role)) {
    throw refuseRole(
      input.role === 'owner'
        ? 'Only owners can invite owners. Choose admin, member or viewer.'
        : 'Your role cannot invite people with this role.',
    );
  }
  await lockInvitationSends(tx, tenantId);
  const expired = await checkAddresses(tx, tenantId, input.emails);
  await checkDailyCap(tx, tenantId, input.emails.length);
  if (expired.length > 0) {
    await tx
      .update(invitations)
      .set({
        status: 'expired',
        version: sql`${invitations.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(invitations.tenantId, tenantId), inArray(invitations.id, expired)));
  }
  let created: CreatedInvitation[];
  try {
    created = (await tx
      .insert(invitations)
      .values(
        input.emails.map((email) => ({
          tenantId,
          email,
          role: input.role,
          invitedBy: inviter.userId,
          expiresAt: invitationExpiry,
        })),
      )
      .returning({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        status: invitations.status,
      })) as CreatedInvitation[];
  } catch (error) {
    // The sends lock makes this unreachable in practice; a clear answer all the same.
    if (uniqueViolation(error) === 'invitations_pending_email_key') {
      throw refuseAddress(
        'One of these addresses was invited at the same moment. Reload the list.',
      );
    }
    throw error;
  }
  await recordSends(
    tx,
    tenantId,
    created.map((c) => c.id),
  );
  for (const invitation of created) {
    await mailInvitation(tx, { tenant: inviter.tenant, inviterName: inviter.name, invitation });
  }
  return created;
}
