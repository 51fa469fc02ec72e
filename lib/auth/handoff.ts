import 'server-only';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { memberships, sessions, users } from '@/db/schema';
import { withPlatform } from '@/db/with-platform';
import { withTenant } from '@/db/with-tenant';
import { recordAudit } from '@/lib/audit/record';
import { findLiveToken, issueToken, isTokenShaped, redeemToken } from '@/lib/tokens/single-use';

/** Where a spent, expired or foreign handoff link leads: this host's sign-in page, which says so. */
export const HANDOFF_EXPIRED_PATH = '/login?error=link';

export const SESSION_ABSOLUTE_DAYS = 30;

/**
 * Issues a single-use sign-in token for a member of a tenant, in the caller's transaction (the platform one at
 * sign-up, the tenant one at password sign-in). The raw token leaves only in the redirect to the tenant host.
 * A handoff made from a signed-in session (switching organizations, a renamed subdomain) names that session:
 * it is redeemed only while the session it came from is still live.
 */
export async function issueHandoffToken(
  tx: Transaction,
  tenantId: string,
  userId: string,
  options: { sourceSessionId?: string } = {},
): Promise<string> {
  return issueToken(tx, {
    tenantId,
    purpose: 'handoff',
    userId,
    sourceSessionId: options.sourceSessionId ?? null,
  });
}

/**
 * The session a handoff came from, if any, is still live: not revoked, not expired. It may belong to another
 * tenant (switching organizations), so it is read on the platform path, which sees only its owner, revocation
 * and expiry.
 */
async function isSourceSessionLive(sessionId: string | null, userId: string): Promise<boolean> {
  if (!sessionId) return true;
  const [row] = await withPlatform('handoff-source-session', (tx) =>
    tx
      .select({ id: sessions.id })
      .from(sessions)
      .where(
        and(
          eq(sessions.id, sessionId),
          eq(sessions.userId, userId),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, sql`now()`),
        ),
      ),
  );
  return row !== undefined;
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
  const found = await withTenant({ tenantId, userId: null }, async (tx) => {
    const live = await findLiveToken(tx, { tenantId, purpose: 'handoff', token });
    if (!live?.userId) return null;
    const member = await findActiveMember(tx, tenantId, live.userId);
    return member && { ...member, userId: live.userId, sourceSessionId: live.sourceSessionId };
  });
  if (!found || !(await isSourceSessionLive(found.sourceSessionId, found.userId))) return null;
  return { name: found.name, email: found.email };
}

async function findActiveMember(tx: Transaction, tenantId: string, userId: string) {
  const [member] = await tx
    .select({ name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        eq(memberships.userId, userId),
        eq(memberships.status, 'active'),
        eq(users.status, 'active'),
      ),
    );
  return member ?? null;
}

/**
 * Whether a handoff came from a session in another organization (switching organizations), as opposed to one
 * of this organization (a renamed subdomain). Under this tenant's RLS, another tenant's session is not there.
 */
async function isSessionOfOtherTenant(
  tx: Transaction,
  tenantId: string,
  sessionId: string | null,
): Promise<boolean> {
  if (!sessionId) return false;
  const [own] = await tx
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, sessionId)));
  return own === undefined;
}

export type SignedIn = {
  userId: string;
  sessionId: string;
  name: string;
  email: string;
  /** The session this one replaces on its organization's former address, ended by the redemption. */
  movedFromSessionId?: string;
};

/**
 * A session carried to the new address of its own organization (a renamed subdomain) moves rather than being
 * copied: it ends on the old host, whose cookie then signs nobody in. A session of another organization
 * (switching) is not this tenant's and stays as it is.
 */
async function endMovedSession(tx: Transaction, tenantId: string, sourceSessionId: string) {
  const [moved] = await tx
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(sessions.tenantId, tenantId),
        eq(sessions.id, sourceSessionId),
        isNull(sessions.revokedAt),
      ),
    )
    .returning({ id: sessions.id });
  return moved?.id;
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
    const redeemed = await redeemToken(tx, { tenantId, purpose: 'handoff', token });
    if (!redeemed?.userId) return null;
    const member = await findActiveMember(tx, tenantId, redeemed.userId);
    if (!member) return null;
    if (!(await isSourceSessionLive(redeemed.sourceSessionId, redeemed.userId))) return null;
    const switched = await isSessionOfOtherTenant(tx, tenantId, redeemed.sourceSessionId);
    const movedFromSessionId =
      redeemed.sourceSessionId && !switched
        ? await endMovedSession(tx, tenantId, redeemed.sourceSessionId)
        : undefined;
    const method = switched ? 'switch' : movedFromSessionId ? 'moved' : undefined;
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
      userAgent: meta.userAgent,
      ...((method || movedFromSessionId) && {
        metadata: {
          ...(method && { method }),
          ...(movedFromSessionId && { movedFromSessionId }),
        },
      }),
    });
    return { userId: redeemed.userId, sessionId: session!.id, ...member, movedFromSessionId };
  });
}
