'use server';

import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { sessions, users } from '@/db/schema';
import { tenantAction } from '@/lib/actions/tenant-action';
import { auditChanges } from '@/lib/audit/record';
import { hashPassword } from '@/lib/auth/password';
import { newPasswordSchema } from '@/lib/auth/password-policy';
import { AppError, notFoundError } from '@/lib/errors/app-error';
import { queueMail } from '@/lib/mail/queue-mail';
import { confirmEmailChangeMessage } from '@/lib/mail/templates';
import { disconnectSessions } from '@/lib/realtime/pusher';
import { emailSchema, personNameSchema } from '@/lib/signup/schemas';
import { assertCurrentPassword } from './current-password';
import { issueEmailToken } from './email-tokens';
import { tenantLink } from './links';
import { revokeOtherSessionsOf } from './sessions';

/** The pages these actions are sent from: each answers with its page re-rendered (`rerenders`). */
const SESSIONS_PAGE = '/settings/sessions';
const ACCOUNT_PAGE = '/settings/account';

/** Ends one of the user's own sessions, in any of their organizations. */
export const revokeMySession = tenantAction(
  {
    schema: z.object({ id: z.string().uuid('This session does not exist.') }),
    permission: 'account:manage',
    rerenders: SESSIONS_PAGE,
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
      afterCommit: () => disconnectSessions([id]),
      audit: { action: 'session.revoked', targetType: 'session', targetId: id },
    };
  },
);

/** Ends every session of the user except this one, in every organization. */
export const revokeOtherSessions = tenantAction(
  { schema: z.object({}), permission: 'account:manage', rerenders: SESSIONS_PAGE },
  async (_input, { tx, member }) => {
    const revoked = await revokeOtherSessionsOf(tx, member);
    return {
      data: { count: revoked.length },
      afterCommit: () => disconnectSessions(revoked.map((r) => r.id)),
      audit: {
        action: 'session.revoked_others',
        targetType: 'user',
        targetId: member.userId,
        metadata: { count: revoked.length },
      },
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
    await assertCurrentPassword(tx, member, input.current, {
      purpose: 'change_password',
      field: 'current',
    });
    await tx
      .update(users)
      .set({ passwordHash: await hashPassword(input.password), updatedAt: sql`now()` })
      .where(eq(users.id, member.userId));
    const revoked = await revokeOtherSessionsOf(tx, member);
    return {
      data: { done: true as const },
      audit: { action: 'user.password_changed', targetType: 'user', targetId: member.userId },
      afterCommit: () => disconnectSessions(revoked.map((r) => r.id)),
    };
  },
);

const changeEmailSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, 'Enter your current password.'),
});

/**
 * Starts an email change: nothing changes until the link sent to the new address is used. Whether that
 * address already belongs to an account is only said to whoever controls it, at confirmation.
 */
export const requestEmailChange = tenantAction(
  { schema: changeEmailSchema, permission: 'account:manage' },
  async (input, { tx, member }) => {
    await assertCurrentPassword(tx, member, input.password, { purpose: 'change_email' });
    if (input.email === member.email.toLowerCase()) {
      throw new AppError('invalid', 'Please correct the highlighted fields.', {
        fieldErrors: { email: 'This is already your email address.' },
      });
    }
    const token = await issueEmailToken(tx, {
      tenantId: member.tenant.id,
      userId: member.userId,
      purpose: 'change_email',
      newEmail: input.email,
    });
    await queueMail(
      tx,
      member.tenant.id,
      confirmEmailChangeMessage(input.email, {
        name: member.name,
        url: tenantLink(member.tenant.slug, '/confirm-email-change', token),
      }),
    );
    return {
      data: { email: input.email },
      audit: {
        action: 'user.email_change_requested',
        targetType: 'user',
        targetId: member.userId,
      },
    };
  },
);

/** Changes the user's own name, the same in every organization they belong to. */
export const changeName = tenantAction(
  {
    schema: z.object({ name: personNameSchema }),
    permission: 'account:manage',
    rerenders: ACCOUNT_PAGE,
  },
  async ({ name }, { tx, member }) => {
    await tx.update(users).set({ name, updatedAt: sql`now()` }).where(eq(users.id, member.userId));
    return {
      data: { name },
      audit: {
        action: 'account.renamed',
        targetType: 'user',
        targetId: member.userId,
        ...auditChanges({ name: member.name }, { name }),
      },
    };
  },
);
