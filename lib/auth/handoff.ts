import 'server-only';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { handoffTokens, memberships, sessions, users } from '@/db/schema';
import { withTenant } from '@/db/with-tenant';
import { recordAudit } from '@/lib/audit/record';
import { createToken, hashToken } from './tokens';

const HANDOFF_TTL_SECONDS = 60;
/** Where a spent, expired or foreign handoff link leads: this host's sign-in page, which says so. */
export const HANDOFF_EXPIRED_PATH = '/login?error=link';

/** Anything outside this length is no token of ours (see createToken); refused before any lookup. */
const isTokenShaped = (token: string) => token.length >= 20 && token.length <= 100;
export const SESSION_ABSOLUTE_DAYS = 30;

/**
 * Issues a single-use sign-in token for a member of a tenant, in the caller's transaction (the platform one at
 * sign-up, the tenant one at password sign-in). The raw token leaves only in the redirect to the tenant host.
 *
 * A handoff that carries an existing session to another host (an organization's former address to its new
 * one) names that session: redeeming refuses the token if the session has ended meanwhile, and a session
 * moved to the new host of its own organization ends on the old one (see `redeemHandoffToken`).
 */
export async function issueHandoffToken(
  tx: Transaction,
  tenantId: string,
  userId: string,
  options: { sourceSessionId?: string } = {},
): Promise<string> {
  const token = createToken();
  await tx.insert(handoffTokens).values({
    tenantId,
    userId,
    sourceSessionId: options.sourceSessionId ?? null,
    tokenHash: hashToken(token),
    expiresAt: sql`now() + make_interval(secs => ${HANDOFF_TTL_SECONDS})`,
  });
  return token;
}

/**
 * Whom a live handoff token would sign in, without spending it: the confirmation page shows this before the
 * visitor decides, and a link scanner that opens the page must leave the token usable. Read in the tenant's
 * RLS context, so a token of another organization is simply not there.
 */
export async function findHandoffToken(
  tenantId: string,
  token: string,
): Promise<{ name: string; email: string } | null> {
  if (!isTokenShaped(token)) return null;
  return withTenant({ tenantId, userId: null }, async (tx) => {
    const [row] = await tx
      .select({ name: users.name, email: users.email })
      .from(handoffTokens)
      .innerJoin(
        memberships,
        and(
          eq(memberships.tenantId, handoffTokens.tenantId),
          eq(memberships.userId, handoffTokens.userId),
        ),
      )
      .innerJoin(users, eq(users.id, handoffTokens.userId))
      .where(
        and(
          eq(handoffTokens.tenantId, tenantId),
          eq(handoffTokens.tokenHash, hashToken(token)),
          isNull(handoffTokens.usedAt),
          gt(handoffTokens.expiresAt, sql`now()`),
          eq(memberships.status, 'active'),
          eq(users.status, 'active'),
        ),
      );
    return row ?? null;
  });
}

export type SignedIn = {
  userId: string;
  sessionId: string;
  name: string;
  email: string;
  /** The session this one replaces on an organization's former host, ended by the redemption. */
  movedFromSessionId?: string;
};

/**
 * The session a handoff came from, while it lives: the user's own (their own-row policy reaches it in any
 * organization), not revoked, not expired. Ended in the same statement when it belongs to the organization
 * the handoff signs in to: the session moves to the new host rather than being copied.
 */
async function takeSourceSession(
  tx: Transaction,
  p: { tenantId: string; userId: string; sessionId: string },
): Promise<{ tenantId: string } | null> {
  await tx.execute(sql`select set_config('app.user_id', ${p.userId}, true)`);
  const live = and(
    eq(sessions.id, p.sessionId),
    eq(sessions.userId, p.userId),
    isNull(sessions.revokedAt),
    gt(sessions.expiresAt, sql`now()`),
  );
  const [moved] = await tx
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(live, eq(sessions.tenantId, p.tenantId)))
    .returning({ tenantId: sessions.tenantId });
  if (moved) return moved;
  const [other] = await tx.select({ tenantId: sessions.tenantId }).from(sessions).where(live);
  return other ?? null;
}

/**
 * Redeems a handoff token on the host of its tenant and opens a session row. Redemption is one atomic
 * update, so a token replayed concurrently signs in at most once; under RLS a token of another tenant is
 * simply not there.
 */
export async function redeemHandoffToken(
  tenantId: string,
  token: string,
  meta: { ip: string | null; userAgent: string | null },
): Promise<SignedIn | null> {
  return withTenant({ tenantId, userId: null }, async (tx) => {
    const [redeemed] = await tx
      .update(handoffTokens)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(handoffTokens.tokenHash, hashToken(token)),
          isNull(handoffTokens.usedAt),
          gt(handoffTokens.expiresAt, sql`now()`),
        ),
      )
      .returning({ userId: handoffTokens.userId, sourceSessionId: handoffTokens.sourceSessionId });
    if (!redeemed) return null;
    const source = redeemed.sourceSessionId
      ? await takeSourceSession(tx, {
          tenantId,
          userId: redeemed.userId,
          sessionId: redeemed.sourceSessionId,
        })
      : null;
    // Spent either way: a handoff whose session ended meanwhile signs nobody in.
    if (redeemed.sourceSessionId && !source) return null;
    const movedFromSessionId =
      source?.tenantId === tenantId ? (redeemed.sourceSessionId ?? undefined) : undefined;
    const [member] = await tx
      .select({ name: users.name, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.tenantId, tenantId),
          eq(memberships.userId, redeemed.userId),
          eq(memberships.status, 'active'),
          eq(users.status, 'active'),
        ),
      );
    if (!member) return null;
    const [session] = await tx
      .insert(sessions)
      .values({
        tenantId,
        userId: redeemed.userId,
        expiresAt: sql`now() + make_interval(days => ${SESSION_ABSOLUTE_DAYS})`,
        ip: meta.ip,
        userAgent: meta.userAgent,
      })
      .returning({ id: sessions.id });
    await recordAudit(tx, {
      tenantId,
      actorUserId: redeemed.userId,
      action: 'session.created',
      targetType: 'session',
      targetId: session!.id,
      ip: meta.ip,
      metadata: {
        userAgent: meta.userAgent,
        ...(redeemed.sourceSessionId ? { fromSessionId: redeemed.sourceSessionId } : {}),
      },
    });
    return { userId: redeemed.userId, sessionId: session!.id, ...member, movedFromSessionId };
  });
}
