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
import type { Invitee, InviteInput } from './schemas';
import { checkDailyCap, lockInvitationSends, recordSends } from './sends';

/**
 * Refuses the whole request with one message per field: each names its address, and the summary says that
 * nobody was invited.
 */
function refuseInvitees(code: 'forbidden' | 'conflict', fieldErrors: Record<string, string>) {
  const messages = Object.values(fieldErrors);
  const summary =
    messages.length === 1
      ? `${messages[0]} Nobody was invited.`
      : `${messages.length} addresses cannot be invited as they are. Nobody was invited.`;
  return new AppError(code, summary, { fieldErrors });
}

/** Each invitee's role must be one the inviter may give (owner only by an owner). */
function checkRoles(inviter: CurrentMember, invitees: Invitee[]) {
  const errors: Record<string, string> = {};
  for (const { email, role, fields } of invitees) {
    if (canAssignRole(inviter, role)) continue;
    errors[fields.role] ??=
      role === 'owner'
        ? `Only owners can invite owners. Choose admin, member or viewer for ${email}.`
        : `Your role cannot invite ${email} as ${role}.`;
  }
  if (Object.keys(errors).length > 0) throw refuseInvitees('forbidden', errors);
}

export const invitationExpiry = sql`now() + make_interval(secs => ${TOKEN_TTL_SECONDS.invitation})`;

/**
 * Refuses the whole list when any address cannot be invited, naming each such address on its own field: an
 * active or deactivated member, or a live pending invitation. Returns the pending invitations that ran out,
 * which the new ones replace.
 */
async function checkAddresses(tx: Transaction, tenantId: string, invitees: Invitee[]) {
  const emails = invitees.map((i) => i.email);
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
  const errors: Record<string, string> = {};
  const refuse = (field: string, message: string) => {
    errors[field] ??= message;
  };
  for (const { email, fields } of invitees) {
    const status = memberStatus.get(email);
    if (status === 'active') refuse(fields.email, `${email} is already a member.`);
    else if (status === 'deactivated') {
      refuse(
        fields.email,
        `${email} is a deactivated member. Reactivate them on the Members page instead.`,
      );
    } else if (livePending.has(email)) {
      refuse(
        fields.email,
        `${email} already has a pending invitation. Resend it from the list below instead.`,
      );
    }
  }
  if (Object.keys(errors).length > 0) throw refuseInvitees('conflict', errors);
  return pending.filter((p) => !p.live).map((p) => p.id);
}

export type CreatedInvitation = { id: string; email: string; role: Role; status: 'pending' };

/**
 * Invites every invitee with their own role, or none of them: the checks all run before the first write, in
 * one transaction, and the organization's sends are serialized (the cap, the pending check).
 * Removed members may be invited back; accepting reactivates their membership with the new role.
 */
export async function createInvitations(
  tx: Transaction,
  inviter: CurrentMember,
  input: InviteInput,
): Promise<CreatedInvitation[]> {
  const tenantId = inviter.tenant.id;
  const { invitees } = input;
  checkRoles(inviter, invitees);
  await lockInvitationSends(tx, tenantId);
  const expired = await checkAddresses(tx, tenantId, invitees);
  await checkDailyCap(tx, tenantId, invitees.length, input.list);
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
        invitees.map(({ email, role }) => ({
          tenantId,
          email,
          role,
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
      const message = 'One of these addresses was invited at the same moment. Reload the list.';
      throw new AppError('conflict', message, { fieldErrors: { [input.list]: message } });
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
