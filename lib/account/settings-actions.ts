'use server';

import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { sessions, users } from '@/db/schema';
import { tenantAction } from '@/lib/actions/tenant-action';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { newPasswordSchema } from '@/lib/auth/password-policy';
import { AppError, notFoundError } from '@/lib/errors/app-error';
import { revokeOtherSessionsOf } from './sessions';

/** Ends one of the user's own sessions, in any of their organizations. */
export const revokeMySession = tenantAction(
  {
    schema: z.object({ id: z.string().uuid('This session does not exist.') }),
    permission: 'account:manage',
  },
  async ({ id }, { tx, member }) => {
    const [revoked] = await tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(
        and(eq(sessions.id, id), eq(sessions.userId, member.userId), isNull(sessions.revokedAt)),
      )
      .returning({ id: sessions.id });
    if (!revoked) throw notFoundError('This session');
    return {
      data: { id },
      audit: { action: 'session.revoked', targetType: 'session', targetId: id },
    };
  },
);

/** Ends every session of the user except this one, in every organization. */
export const revokeOtherSessions = tenantAction(
  { schema: z.object({}), permission: 'account:manage' },
  async (_input, { tx, member }) => {
    const revoked = await revokeOtherSessionsOf(tx, member);
    return {
      data: { count: revoked.length },
      audit: { action: 'session.revoked_others', metadata: { count: revoked.length } },
    };
  },
);

const changePasswordSchema = z
  .object({
    current: z.string().min(1, 'Enter your current password.'),
    password: newPasswordSchema,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, {
    path: ['confirm'],
    message: 'The two passwords differ.',
  });

/** Changes the password (the current one required) and signs out every other session of the user. */
export const changePassword = tenantAction(
  { schema: changePasswordSchema, permission: 'account:manage' },
  async (input, { tx, member }) => {
    const [me] = await tx
      .select({ hash: users.passwordHash })
      .from(users)
      .where(eq(users.id, member.userId));
    if (!(await verifyPassword(me?.hash, input.current))) {
      throw new AppError('invalid', 'Please correct the highlighted fields.', {
        fieldErrors: { current: 'This is not your current password.' },
      });
    }
    await tx
      .update(users)
      .set({ passwordHash: await hashPassword(input.password), updatedAt: sql`now()` })
      .where(eq(users.id, member.userId));
    await revokeOtherSessionsOf(tx, member);
    return { data: { done: true as const }, audit: { action: 'user.password_changed' } };
  },
);
