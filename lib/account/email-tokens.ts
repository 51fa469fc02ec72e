import 'server-only';
import { sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import type { TokenPurpose } from '@/db/schema';
import { findLiveToken, issueToken, redeemToken, retireTokens } from '@/lib/tokens/single-use';

/**
 * The emailed kinds of single-use token (lib/tokens/single-use.ts): each is sent to a member and acts for
 * them, so unlike an invitation it always names its user.
 */
export type EmailTokenPurpose = Extract<
  TokenPurpose,
  'verify_email' | 'reset_password' | 'unlock_account' | 'change_email'
>;

type IssueEmailToken = {
  tenantId: string;
  userId: string;
  purpose: EmailTokenPurpose;
  // For change_email: the address being confirmed, which the link is sent to.
  newEmail?: string;
};
type EmailTokenRef = { tenantId: string; purpose: EmailTokenPurpose; token: string };

/** Issues a token in the caller's transaction; a new one retires the user's earlier unused ones of that kind. */
export async function issueEmailToken(tx: Transaction, p: IssueEmailToken): Promise<string> {
  await retireTokens(tx, { tenantId: p.tenantId, purpose: p.purpose, userId: p.userId });
  return insertEmailToken(tx, p);
}

/** The insert alone: what a brand-new membership needs (sign-up runs as the platform role, insert-only). */
export async function insertEmailToken(tx: Transaction, p: IssueEmailToken): Promise<string> {
  return issueToken(tx, {
    tenantId: p.tenantId,
    purpose: p.purpose,
    userId: p.userId,
    email: p.newEmail ?? null,
  });
}

/**
 * Whether a token could be spent now, without spending it: lets a caller refuse a bogus token before doing
 * costly work (hashing a new password). Only `redeemEmailToken` decides, atomically.
 */
export async function isEmailTokenLive(tx: Transaction, ref: EmailTokenRef): Promise<boolean> {
  return (await findLiveToken(tx, ref))?.userId != null;
}

/** Spends a token in one atomic update: a second use, an expired token or another tenant's yields null. */
export async function redeemEmailToken(
  tx: Transaction,
  ref: EmailTokenRef,
): Promise<{ userId: string; newEmail: string | null } | null> {
  const redeemed = await redeemToken(tx, ref);
  if (!redeemed?.userId) return null;
  return { userId: redeemed.userId, newEmail: redeemed.email };
}

/** Acts as the token's user for the rest of the transaction, so RLS lets them update their own row. */
export async function actAsUser(tx: Transaction, userId: string) {
  await tx.execute(sql`select set_config('app.user_id', ${userId}, true)`);
}
