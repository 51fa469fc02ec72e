import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { invitations, type Role, singleUseTokens, type Tenant, users } from '@/db/schema';
import { withTenant } from '@/db/with-tenant';
import { hashToken } from '@/lib/auth/tokens';
import { findLiveToken, isTokenShaped } from '@/lib/tokens/single-use';
import { findAccountByEmail } from './joiner';

export type LiveInvitation = {
  state: 'live';
  id: string;
  email: string;
  role: Role;
  inviterName: string;
  expiresAt: Date;
  hasAccount: boolean;
};

export type DeadInvitation = {
  state: 'invalid' | 'accepted' | 'revoked' | 'expired' | 'replaced';
  message: string;
};

/**
 * What an invitation link is, without spending it: the accept page shows the organization, inviter, role
 * and address before anyone decides (and a mail scanner that opens the link leaves it usable), or says
 * plainly why the link no longer works. Read in the host tenant's context: another organization's link is
 * simply not there.
 */
export async function describeInvitationLink(
  tenant: Pick<Tenant, 'id' | 'name'>,
  token: string,
): Promise<LiveInvitation | DeadInvitation> {
  const row = isTokenShaped(token)
    ? await withTenant({ tenantId: tenant.id, userId: null }, async (tx) => {
        const [found] = await tx
          .select({
            used: sql<boolean>`${singleUseTokens.usedAt} is not null`,
            tokenLive: sql<boolean>`${singleUseTokens.expiresAt} > now()`,
            id: invitations.id,
            email: invitations.email,
            role: invitations.role,
            status: invitations.status,
            expiresAt: invitations.expiresAt,
            invitationLive: sql<boolean>`${invitations.expiresAt} > now()`,
            inviterName: users.name,
          })
          .from(singleUseTokens)
          .innerJoin(
            invitations,
            and(
              eq(invitations.tenantId, singleUseTokens.tenantId),
              eq(invitations.id, singleUseTokens.subjectId),
            ),
          )
          .leftJoin(users, eq(users.id, invitations.invitedBy))
          .where(
            and(
              eq(singleUseTokens.tenantId, tenant.id),
              eq(singleUseTokens.tokenHash, hashToken(token)),
              eq(singleUseTokens.purpose, 'invitation'),
            ),
          );
        return found ?? null;
      })
    : null;
  if (!row) {
    return {
      state: 'invalid',
      message: `This invitation link is not valid for ${tenant.name}. Open the link from your invitation email exactly as it was sent.`,
    };
  }
  if (row.status === 'accepted') {
    return { state: 'accepted', message: 'This invitation was already accepted. Sign in below.' };
  }
  if (row.status === 'revoked') {
    return {
      state: 'revoked',
      message: `This invitation was revoked. Ask an admin of ${tenant.name} for a new one.`,
    };
  }
  if (row.status === 'expired' || !row.invitationLive || (!row.used && !row.tokenLive)) {
    return {
      state: 'expired',
      message: `This invitation has expired. Ask ${row.inviterName ?? 'an admin'} or another admin of ${tenant.name} to send it again.`,
    };
  }
  if (row.used) {
    return {
      state: 'replaced',
      message: `A newer invitation was sent to ${row.email}. Use the link in the most recent email.`,
    };
  }
  return {
    state: 'live',
    id: row.id,
    email: row.email,
    role: row.role,
    inviterName: row.inviterName ?? 'An admin',
    expiresAt: row.expiresAt,
    hasAccount: (await findAccountByEmail('join-by-invitation', row.email)) !== null,
  };
}

/** The address a live join link was sent to, and whether it has an account; null for any other link. */
export async function describeJoinLink(
  tenantId: string,
  token: string,
): Promise<{ email: string; hasAccount: boolean } | null> {
  const live = await withTenant({ tenantId, userId: null }, (tx) =>
    findLiveToken(tx, { tenantId, purpose: 'join_domain', token }),
  );
  if (!live?.email) return null;
  const account = await findAccountByEmail('join-by-domain', live.email);
  return { email: live.email, hasAccount: account !== null };
}
