import 'server-only';
import { and, eq, gt, isNull, type SQL, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { singleUseTokens, type TokenPurpose } from '@/db/schema';
import { createToken, hashToken } from '@/lib/auth/tokens';

/**
 * The one module for single-use tokens (db/schema/single-use-tokens.ts): issue, look up without spending,
 * redeem once, retire, count failures. Every kind shares its guarantees:
 * - only a SHA-256 of the token is stored, and the raw token is returned once, to go in a link or redirect;
 * - a token is bound to its tenant's host (RLS: it exists in no other tenant's context) and to its purpose;
 * - it expires, and redemption is one atomic update, so a token replayed concurrently is spent at most once.
 * Every function runs in the caller's transaction, so a token exists exactly when what issued it does.
 */
export const TOKEN_TTL_SECONDS: Record<TokenPurpose, number> = {
  verify_email: 24 * 60 * 60,
  reset_password: 60 * 60,
  unlock_account: 60 * 60,
  change_email: 24 * 60 * 60,
  handoff: 60,
  two_factor_challenge: 5 * 60,
  invitation: 7 * 24 * 60 * 60,
  join_domain: 60 * 60,
};

/** Anything outside this length is no token of ours (see createToken); refused before any lookup. */
export const isTokenShaped = (token: string) => token.length >= 20 && token.length <= 100;

export type TokenRef = { tenantId: string; purpose: TokenPurpose; token: string };

export type IssueTokenInput = {
  tenantId: string;
  purpose: TokenPurpose;
  userId?: string | null;
  email?: string | null;
  subjectId?: string | null;
  sourceSessionId?: string | null;
};

export type LiveToken = {
  userId: string | null;
  email: string | null;
  subjectId: string | null;
  sourceSessionId: string | null;
  failedAttempts: number;
  expiresAt: Date;
};

const liveColumns = {
  userId: singleUseTokens.userId,
  email: singleUseTokens.email,
  subjectId: singleUseTokens.subjectId,
  sourceSessionId: singleUseTokens.sourceSessionId,
  failedAttempts: singleUseTokens.failedAttempts,
  expiresAt: singleUseTokens.expiresAt,
};

/**
 * Issues a token; the raw value is returned and never stored. The insert alone, so it also works for the
 * platform role (sign-up, joining by domain), which may insert but not update. To replace earlier tokens of
 * the same kind, call `retireTokens` first.
 */
export async function issueToken(tx: Transaction, input: IssueTokenInput): Promise<string> {
  const token = createToken();
  await tx.insert(singleUseTokens).values({
    tenantId: input.tenantId,
    purpose: input.purpose,
    userId: input.userId ?? null,
    email: input.email?.toLowerCase() ?? null,
    subjectId: input.subjectId ?? null,
    sourceSessionId: input.sourceSessionId ?? null,
    tokenHash: hashToken(token),
    expiresAt: sql`now() + make_interval(secs => ${TOKEN_TTL_SECONDS[input.purpose]})`,
  });
  return token;
}

const isLive = (ref: TokenRef): SQL =>
  and(
    eq(singleUseTokens.tenantId, ref.tenantId),
    eq(singleUseTokens.tokenHash, hashToken(ref.token)),
    eq(singleUseTokens.purpose, ref.purpose),
    isNull(singleUseTokens.usedAt),
    gt(singleUseTokens.expiresAt, sql`now()`),
  ) as SQL;

/**
 * What a live token is for, without spending it: a page shows this before the visitor decides (a link
 * scanner that opens the page must leave the token usable), or a caller refuses a bogus token before costly
 * work. Only `redeemToken` decides, atomically. With `lock`, the row stays locked until the transaction
 * ends, so concurrent attempts at one token (codes against a sign-in challenge) are judged one at a time.
 */
export async function findLiveToken(
  tx: Transaction,
  ref: TokenRef,
  options: { lock?: boolean } = {},
): Promise<LiveToken | null> {
  if (!isTokenShaped(ref.token)) return null;
  const query = tx.select(liveColumns).from(singleUseTokens).where(isLive(ref));
  const [row] = options.lock ? await query.for('update') : await query;
  return row ?? null;
}

/** Spends a token: a second use, an expired token, another purpose or another tenant's yields null. */
export async function redeemToken(tx: Transaction, ref: TokenRef): Promise<LiveToken | null> {
  if (!isTokenShaped(ref.token)) return null;
  const [row] = await tx
    .update(singleUseTokens)
    .set({ usedAt: sql`now()` })
    .where(isLive(ref))
    .returning(liveColumns);
  return row ?? null;
}

/**
 * Retires the unused tokens of one kind for a user or a subject: a new reset link retires the earlier ones,
 * a revoked or resent invitation its old link. Returns how many were live.
 */
export async function retireTokens(
  tx: Transaction,
  p: { tenantId: string; purpose: TokenPurpose } & (
    | { userId: string; subjectId?: never }
    | { subjectId: string; userId?: never }
  ),
): Promise<number> {
  const owner =
    p.userId !== undefined
      ? eq(singleUseTokens.userId, p.userId)
      : eq(singleUseTokens.subjectId, p.subjectId);
  const retired = await tx
    .update(singleUseTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(singleUseTokens.tenantId, p.tenantId),
        eq(singleUseTokens.purpose, p.purpose),
        owner,
        isNull(singleUseTokens.usedAt),
        gt(singleUseTokens.expiresAt, sql`now()`),
      ),
    )
    .returning({ tokenHash: singleUseTokens.tokenHash });
  return retired.length;
}

/**
 * Counts a failed attempt against a live token (a wrong second-factor code) and spends it once `max`
 * failures are reached. Returns the failures so far, or null when the token is not live.
 */
export async function countTokenFailure(
  tx: Transaction,
  ref: TokenRef,
  max: number,
): Promise<number | null> {
  if (!isTokenShaped(ref.token)) return null;
  const [row] = await tx
    .update(singleUseTokens)
    .set({
      failedAttempts: sql`${singleUseTokens.failedAttempts} + 1`,
      usedAt: sql`case when ${singleUseTokens.failedAttempts} + 1 >= ${max} then now() end`,
    })
    .where(isLive(ref))
    .returning({ failedAttempts: singleUseTokens.failedAttempts });
  return row?.failedAttempts ?? null;
}
