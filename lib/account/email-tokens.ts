import 'server-only';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { type EmailTokenPurpose, emailTokens } from '@/db/schema';
import { createToken, hashToken } from '@/lib/auth/tokens';

const TTL_SECONDS: Record<EmailTokenPurpose, number> = {
  verify_email: 24 * 60 * 60,
  reset_password: 60 * 60,
  unlock_account: 60 * 60,
  change_email: 24 * 60 * 60,
};

/** Issues a token in the caller's transaction; a new one retires the user's earlier unused ones of that kind. */
export async function issueEmailToken(
  tx: Transaction,
  p: { tenantId: string; userId: string; purpose: EmailTokenPurpose; newEmail?: string },
): Promise<string> {
  await tx
    .update(emailTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(emailTokens.tenantId, p.tenantId),
        eq(emailTokens.userId, p.userId),
        eq(emailTokens.purpose, p.purpose),
        isNull(emailTokens.usedAt),
      ),
    );
  return insertEmailToken(tx, p);
}

/** The insert alone: what a brand-new membership needs (sign-up runs as the platform role, insert-only). */
export async function insertEmailToken(
  tx: Transaction,
  p: { tenantId: string; userId: string; purpose: EmailTokenPurpose; newEmail?: string },
): Promise<string> {
  const token = createToken();
  await tx.insert(emailTokens).values({
    ...p,
    tokenHash: hashToken(token),
    expiresAt: sql`now() + make_interval(secs => ${TTL_SECONDS[p.purpose]})`,
  });
  return token;
}

/**
 * Whether a token could be spent now, without spending it: lets a caller refuse a bogus token before doing
 * costly work (hashing a new password). Only `redeemEmailToken` decides, atomically.
 */
export async function isEmailTokenLive(
  tx: Transaction,
  p: { tenantId: string; purpose: EmailTokenPurpose; token: string },
): Promise<boolean> {
  const [row] = await tx
    .select({ userId: emailTokens.userId })
    .from(emailTokens)
    .where(liveToken(p));
  return row !== undefined;
}

const liveToken = (p: { tenantId: string; purpose: EmailTokenPurpose; token: string }) =>
  and(
    eq(emailTokens.tenantId, p.tenantId),
    eq(emailTokens.tokenHash, hashToken(p.token)),
    eq(emailTokens.purpose, p.purpose),
    isNull(emailTokens.usedAt),
    gt(emailTokens.expiresAt, sql`now()`),
  );

/** Spends a token in one atomic update: a second use, an expired token or another tenant's yields null. */
export async function redeemEmailToken(
  tx: Transaction,
  p: { tenantId: string; purpose: EmailTokenPurpose; token: string },
): Promise<{ userId: string; newEmail: string | null } | null> {
  const [row] = await tx
    .update(emailTokens)
    .set({ usedAt: sql`now()` })
    .where(liveToken(p))
    .returning({ userId: emailTokens.userId, newEmail: emailTokens.newEmail });
  return row ?? null;
}

/** Acts as the token's user for the rest of the transaction, so RLS lets them update their own row. */
export async function actAsUser(tx: Transaction, userId: string) {
  await tx.execute(sql`select set_config('app.user_id', ${userId}, true)`);
}
