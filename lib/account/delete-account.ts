'use server';

import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { sessions, twoFactorRecoveryCodes, userTwoFactor } from '@/db/schema';
import { tenantAction } from '@/lib/actions/tenant-action';
import { AppError } from '@/lib/errors/app-error';
import { getRequestMeta } from '@/lib/http/request-meta';
import { disconnectSessions } from '@/lib/realtime/pusher';
import { assertCurrentPassword } from './current-password';

const deleteAccountSchema = z.object({
  password: z.string().min(1, 'Enter your password.').max(256),
});

const listed = (names: string[]) =>
  names.length === 1
    ? names[0]!
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

function refuseIfSoleOwner(organizations: string[]) {
  if (organizations.length === 0) return;
  throw new AppError(
    'conflict',
    `You are the last owner of ${listed(organizations)}. Make another member an owner there first, then delete your account.`,
  );
}

/**
 * Deletes the signed-in person's account: their password first; refused while they are the last active
 * owner of any organization (named in the message). Everything happens in one transaction: the database
 * function `tenantry_delete_account` (migration org_settings_slug_claims_and_account_deletion, the only way to set a user's status) removes them from
 * every organization, spends their mailed links and erases their name, email and password, keeping the row
 * for the audit trail ("Deleted user"); here their sessions everywhere end and their second factor goes.
 * Their realtime connections drop once it has committed.
 */
export const deleteAccount = tenantAction(
  { schema: deleteAccountSchema, permission: 'account:manage' },
  async ({ password }, { tx, member }) => {
    // Asked first: a refusal that needs no password spends no attempt towards the account's lock.
    const [owned] = await tx.execute<{ names: string[] }>(
      sql`select tenantry_sole_owner_of() as names`,
    );
    refuseIfSoleOwner(owned?.names ?? []);
    await assertCurrentPassword(tx, member, password, { purpose: 'delete_account' });
    const { ip, userAgent } = await getRequestMeta();
    // The function checks again, under locks: an owner demoted meanwhile is not left without an owner.
    const [result] = await tx.execute<{ sole_owner_of: string[] }>(
      sql`select sole_owner_of from tenantry_delete_account(${ip}, ${userAgent})`,
    );
    refuseIfSoleOwner(result?.sole_owner_of ?? []);
    const revoked = await tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.userId, member.userId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    await tx.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, member.userId));
    await tx.delete(userTwoFactor).where(eq(userTwoFactor.userId, member.userId));
    return {
      data: { deleted: true as const },
      audit: {
        action: 'account.deleted',
        targetType: 'user',
        targetId: member.userId,
        metadata: { sessionsRevoked: revoked.length },
      },
      afterCommit: () => disconnectSessions(revoked.map((r) => r.id)),
    };
  },
);
