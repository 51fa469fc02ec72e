import 'server-only';
import { eq } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { users } from '@/db/schema';
import { withDetachedTenant } from '@/db/with-tenant';
import { recordAudit } from '@/lib/audit/record';
import { verifyPassword } from '@/lib/auth/password';
import type { CurrentMember } from '@/lib/auth/session';
import { countSignInFailure, isAccountLocked } from '@/lib/auth/sign-in-failures';
import { AppError } from '@/lib/errors/app-error';
import { getRequestMeta } from '@/lib/http/request-meta';

/** What the password is asked for again; recorded with a refusal. */
export type Reauthentication =
  | 'change_password'
  | 'change_email'
  | 'two_factor_setup'
  | 'two_factor_disable'
  | 'recovery_codes'
  | 'transfer_ownership'
  | 'delete_account';

export const WRONG_CURRENT_PASSWORD = 'This is not your current password.';

/**
 * Re-authentication for sensitive account changes, with the error next to the field that holds it. Whoever
 * holds a stolen session must not guess the password here faster than at the sign-in page: a wrong password
 * counts towards the same per-account lock as a failed sign-in (the locking one emails the unlock link), and
 * while the account is locked the right password is refused too, answered exactly like a wrong one.
 *
 * The caller's transaction rolls back on the error this throws, so the refusal is recorded outside it: the
 * count in the rate-limit store (the platform role's own connection) and the audit event in a transaction of
 * its own.
 */
export async function assertCurrentPassword(
  tx: Transaction,
  member: Pick<CurrentMember, 'tenant' | 'userId' | 'email'>,
  password: string,
  options: { purpose: Reauthentication; field?: string },
) {
  const [locked, [me]] = await Promise.all([
    isAccountLocked(member.tenant.id, member.email),
    tx.select({ hash: users.passwordHash }).from(users).where(eq(users.id, member.userId)),
  ]);
  if ((await verifyPassword(me?.hash, password)) && !locked) return;
  const { ip } = await getRequestMeta();
  await countSignInFailure({
    tenant: member.tenant,
    ip,
    email: member.email,
    memberId: member.userId,
  });
  await withDetachedTenant({ tenantId: member.tenant.id, userId: member.userId }, (detached) =>
    recordAudit(detached, {
      tenantId: member.tenant.id,
      actorUserId: member.userId,
      action: 'user.reauthentication_failed',
      targetType: 'user',
      targetId: member.userId,
      metadata: { purpose: options.purpose, locked },
      ip,
    }),
  );
  throw new AppError('invalid', 'Please correct the highlighted fields.', {
    fieldErrors: { [options.field ?? 'password']: WRONG_CURRENT_PASSWORD },
  });
}
