'use server';

import { and, eq, isNull, sql } from 'drizzle-orm';
import { sessions, users } from '@/db/schema';
import { withPlatform } from '@/db/with-platform';
import { withTenant } from '@/db/with-tenant';
import type { ActionResult } from '@/lib/actions/result';
import { parseInput, toActionFailure } from '@/lib/actions/tenant-action';
import { recordAudit } from '@/lib/audit/record';
import { hashPassword } from '@/lib/auth/password';
import { AppError } from '@/lib/errors/app-error';
import { uniqueViolation } from '@/lib/errors/postgres';
import { getRequestMeta } from '@/lib/http/request-meta';
import { sendMail } from '@/lib/mail/send';
import { emailChangedNotice, passwordChangedMessage } from '@/lib/mail/templates';
import { disconnectSessions } from '@/lib/realtime/pusher';
import { getHostTenantOrThrow } from '@/lib/tenant/resolve';
import { actAsUser, redeemEmailToken } from './email-tokens';
import { tenantLink } from './links';
import { confirmEmailSchema, resetPasswordSchema } from './schemas';
import { unlockAccount } from './unlock';

type Done = ActionResult<{ done: true }>;
const DONE: Done = { ok: true, data: { done: true } };
const INVALID_LINK = 'This link has expired or was already used. Request a new one.';

/** Confirms an email address from the link (a button press, so mail scanners that follow links do not). */
export async function confirmEmail(_previous: Done | null, formData: FormData): Promise<Done> {
  try {
    const { token } = parseInput(confirmEmailSchema, formData);
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
        ip,
      });
      return true;
    });
    if (!confirmed) throw new AppError('invalid', INVALID_LINK);
    return DONE;
  } catch (error) {
    return toActionFailure(error);
  }
}

/** Sets a new password from a reset link, then signs the user out everywhere and tells them by email. */
export async function resetPassword(_previous: Done | null, formData: FormData): Promise<Done> {
  try {
    const input = parseInput(resetPasswordSchema, formData);
    const tenant = await getHostTenantOrThrow();
    const { ip } = await getRequestMeta();
    const passwordHash = await hashPassword(input.password);
    const user = await withTenant({ tenantId: tenant.id, userId: null }, async (tx) => {
      const userId = (
        await redeemEmailToken(tx, {
          tenantId: tenant.id,
          purpose: 'reset_password',
          token: input.token,
        })
      )?.userId;
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
        ip,
      });
      return updated ?? null;
    });
    if (!user)
      throw new AppError('invalid', INVALID_LINK, { fieldErrors: { password: INVALID_LINK } });
    const revoked = await withPlatform('revoke-user-sessions', (tx) =>
      tx
        .update(sessions)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt)))
        .returning({ id: sessions.id }),
    );
    await disconnectSessions(revoked.map((r) => r.id));
    await sendMail(
      passwordChangedMessage(user.email, {
        organization: tenant.name,
        url: tenantLink(tenant.slug, '/login'),
      }),
    );
    return DONE;
  } catch (error) {
    return toActionFailure(error);
  }
}

/** Lifts a sign-in lock from the emailed link (a button press, so link scanners do not spend it). */
export async function confirmUnlock(_previous: Done | null, formData: FormData): Promise<Done> {
  try {
    const { token } = parseInput(confirmEmailSchema, formData);
    const tenant = await getHostTenantOrThrow();
    const unlocked = await unlockAccount({ tenant, token, ip: (await getRequestMeta()).ip });
    if (!unlocked) throw new AppError('invalid', INVALID_LINK);
    return DONE;
  } catch (error) {
    return toActionFailure(error);
  }
}

/** Confirms a new email address from the link sent to it, and tells the old address. */
export async function confirmEmailChange(
  _previous: Done | null,
  formData: FormData,
): Promise<Done> {
  try {
    const { token } = parseInput(confirmEmailSchema, formData);
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
        ip,
      });
      return { oldEmail: before!.email, newEmail: redeemed.newEmail };
    });
    if (!change) throw new AppError('invalid', INVALID_LINK);
    await sendMail(
      emailChangedNotice(change.oldEmail, {
        newEmail: change.newEmail,
        url: tenantLink(tenant.slug, '/login'),
      }),
    );
    return DONE;
  } catch (error) {
    if (uniqueViolation(error) === 'users_email_key') {
      return toActionFailure(
        new AppError('conflict', 'This email address already belongs to another account.'),
      );
    }
    return toActionFailure(error);
  }
}
