'use server';

import { and, eq, isNull, sql } from 'drizzle-orm';
import { sessions, users } from '@/db/schema';
import { withPlatform } from '@/db/with-platform';
import { withTenant } from '@/db/with-tenant';
import { publicAction } from '@/lib/actions/chain';
import { recordAudit } from '@/lib/audit/record';
import { hashPassword } from '@/lib/auth/password';
import { AppError } from '@/lib/errors/app-error';
import { uniqueViolation } from '@/lib/errors/postgres';
import { getRequestMeta } from '@/lib/http/request-meta';
import { queueMail } from '@/lib/mail/queue-mail';
import { emailChangedNotice, passwordChangedMessage } from '@/lib/mail/templates';
import { consumeRateLimit, LIMITS } from '@/lib/rate-limit/limit';
import { disconnectSessions } from '@/lib/realtime/pusher';
import { getHostTenantOrThrow } from '@/lib/tenant/resolve';
import { actAsUser, isEmailTokenLive, redeemEmailToken } from './email-tokens';
import { tenantLink } from './links';
import { confirmEmailSchema, resetPasswordSchema } from './schemas';
import { unlockAccount } from './unlock';

const DONE = { done: true } as const;
const INVALID_LINK = 'This link has expired or was already used. Request a new one.';

/** Confirms an email address from the link (a button press, so mail scanners that follow links do not). */
export const confirmEmail = publicAction({ schema: confirmEmailSchema }, async ({ token }) => {
  const tenant = await getHostTenantOrThrow();
  const { ip } = await getRequestMeta();
  const confirmed = await withTenant({ tenantId: tenant.id, userId: null }, async (tx) => {
    const userId = (
      await redeemEmailToken(tx, {
        tenantId: tenant.id,
        purpose: 'verify_email',
        token,
      })
    )?.userId;
    if (!userId) return false;
    await actAsUser(tx, userId);
    await tx
      .update(users)
      .set({
        emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, userId));
    await recordAudit(tx, {
      tenantId: tenant.id,
      actorUserId: userId,
      action: 'user.email_verified',
      targetType: 'user',
      targetId: userId,
      ip,
    });
    return true;
  });
  if (!confirmed) throw new AppError('invalid', INVALID_LINK);
  return DONE;
});

/**
 * Sets a new password from a reset link, then signs the user out everywhere and tells them by email. The
 * token is checked before the new password is hashed, and attempts are budgeted per client address, so
 * bogus links cannot make the server spend argon2 time.
 */
export const resetPassword = publicAction(
  {
    schema: resetPasswordSchema,
    limit: async () =>
      consumeRateLimit(LIMITS.resetConfirmPerIp, (await getRequestMeta()).ip ?? 'unknown'),
  },
  async (input) => {
    const tenant = await getHostTenantOrThrow();
    const { ip } = await getRequestMeta();
    const tokenRef = {
      tenantId: tenant.id,
      purpose: 'reset_password' as const,
      token: input.token,
    };
    const live = await withTenant({ tenantId: tenant.id, userId: null }, (tx) =>
      isEmailTokenLive(tx, tokenRef),
    );
    if (!live) throw invalidResetLink();
    const passwordHash = await hashPassword(input.password);
    const user = await withTenant({ tenantId: tenant.id, userId: null }, async (tx) => {
      const userId = (await redeemEmailToken(tx, tokenRef))?.userId;
      if (!userId) return null;
      await actAsUser(tx, userId);
      const [updated] = await tx
        .update(users)
        .set({ passwordHash, updatedAt: sql`now()` })
        .where(eq(users.id, userId))
        .returning({ id: users.id, email: users.email });
      await recordAudit(tx, {
        tenantId: tenant.id,
        actorUserId: userId,
        action: 'user.password_reset',
        targetType: 'user',
        targetId: userId,
        ip,
      });
      if (!updated) return null;
      await queueMail(
        tx,
        tenant.id,
        passwordChangedMessage(updated.email, {
          organization: tenant.name,
          url: tenantLink(tenant.slug, '/login'),
        }),
      );
      return updated;
    });
    // Spent by a concurrent request between the check and now.
    if (!user) throw invalidResetLink();
    const revoked = await withPlatform('revoke-user-sessions', (tx) =>
      tx
        .update(sessions)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt)))
        .returning({ id: sessions.id }),
    );
    await disconnectSessions(revoked.map((r) => r.id));
    return DONE;
  },
);

const invalidResetLink = () =>
  new AppError('invalid', INVALID_LINK, { fieldErrors: { password: INVALID_LINK } });

/** Lifts a sign-in lock from the emailed link (a button press, so link scanners do not spend it). */
export const confirmUnlock = publicAction({ schema: confirmEmailSchema }, async ({ token }) => {
  const tenant = await getHostTenantOrThrow();
  const unlocked = await unlockAccount({ tenant, token, ip: (await getRequestMeta()).ip });
  if (!unlocked) throw new AppError('invalid', INVALID_LINK);
  return DONE;
});

/** Confirms a new email address from the link sent to it, and tells the old address. */
export const confirmEmailChange = publicAction(
  { schema: confirmEmailSchema },
  async ({ token }) => {
    try {
      const tenant = await getHostTenantOrThrow();
      const { ip } = await getRequestMeta();
      const change = await withTenant({ tenantId: tenant.id, userId: null }, async (tx) => {
        const redeemed = await redeemEmailToken(tx, {
          tenantId: tenant.id,
          purpose: 'change_email',
          token,
        });
        if (!redeemed?.newEmail) return null;
        await actAsUser(tx, redeemed.userId);
        const [before] = await tx
          .select({ email: users.email })
          .from(users)
          .where(eq(users.id, redeemed.userId));
        await tx
          .update(users)
          .set({ email: redeemed.newEmail, emailVerifiedAt: sql`now()`, updatedAt: sql`now()` })
          .where(eq(users.id, redeemed.userId));
        await recordAudit(tx, {
          tenantId: tenant.id,
          actorUserId: redeemed.userId,
          action: 'user.email_changed',
          targetType: 'user',
          targetId: redeemed.userId,
          before: { email: before!.email },
          after: { email: redeemed.newEmail },
          ip,
        });
        await queueMail(
          tx,
          tenant.id,
          emailChangedNotice(before!.email, {
            newEmail: redeemed.newEmail,
            url: tenantLink(tenant.slug, '/login'),
          }),
        );
        return true;
      });
      if (!change) throw new AppError('invalid', INVALID_LINK);
      return DONE;
    } catch (error) {
      if (uniqueViolation(error) === 'users_email_key') {
        throw new AppError('conflict', 'This email address already belongs to another account.');
      }
      throw error;
    }
  },
);
