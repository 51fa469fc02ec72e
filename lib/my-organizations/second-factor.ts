import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { sessions, userTwoFactor } from '@/db/schema';
import { AppError } from '@/lib/errors/app-error';

/**
 * Whether a handoff made from this session may sign in on another organization's host without asking for the
 * second factor again. Two-factor sign-in belongs to the user, not to an organization, and a session of a
 * user who has it on was opened only after their code (lib/two-factor/challenge.ts), so that proof carries
 * over, as the password's does. The exception is a session opened before two-factor sign-in was turned on:
 * it proved the password alone, so the other host asks for a code. Runs with app.user_id set to the user
 * (their own sessions and two-factor row, in any tenant context).
 */
export async function sessionPassedSecondFactor(
  tx: Transaction,
  me: { userId: string; sessionId: string },
): Promise<boolean> {
  const [row] = await tx
    .select({ openedAt: sessions.createdAt, enabledAt: userTwoFactor.enabledAt })
    .from(sessions)
    .leftJoin(userTwoFactor, eq(userTwoFactor.userId, sessions.userId))
    .where(and(eq(sessions.id, me.sessionId), eq(sessions.userId, me.userId)));
  if (!row) throw new AppError('unauthenticated', 'Your session has ended. Please sign in again.');
  return row.enabledAt === null || row.openedAt >= row.enabledAt;
}
