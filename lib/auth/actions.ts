'use server';

import { and, eq, sql } from 'drizzle-orm';
import { AuthError } from 'next-auth';
import { z } from 'zod';
import { memberships, users } from '@/db/schema';
import { withTenant } from '@/db/with-tenant';
import { sendUnlockLink } from '@/lib/account/unlock';
import type { ActionResult } from '@/lib/actions/result';
import { parseInput, toActionFailure } from '@/lib/actions/tenant-action';
import { recordAudit } from '@/lib/audit/record';
import { getEnv } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { getRequestMeta } from '@/lib/http/request-meta';
import { hitRateLimit, LIMITS, peekRateLimit, rateLimitedError } from '@/lib/rate-limit/limit';
import { disconnectSessions } from '@/lib/realtime/pusher';
import { tenantOrigin } from '@/lib/tenant/host';
import { findTenantBySlug, getHostTenant } from '@/lib/tenant/resolve';
import { slugSchema } from '@/lib/tenant/slugs';
import { signIn, signOut } from './auth';
import { issueHandoffToken } from './handoff';
import { verifyPassword } from './password';
import { getCurrentMember, revokeSession } from './session';

const INVALID_CREDENTIALS = 'The email or password is incorrect.';

const loginSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, 'Enter your email address.').max(254),
  password: z.string().min(1, 'Enter your password.').max(256),
  next: z.string().optional(),
});

/** Only same-host paths: an open redirect would let a link bounce a signed-in user anywhere. */
function safeNextPath(next: string | undefined) {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

/**
 * Password sign-in on a tenant host. The user is looked up inside the tenant's RLS context, so only members
 * of this organization can sign in here; unknown emails cost the same argon2 time as wrong passwords.
 * Failures count per client address and per (organization, email): after 5 failures an account is locked
 * for 15 minutes on this host, and a locked account answers exactly like a wrong password.
 */
export async function signInWithPassword(
  _previous: ActionResult<never> | null,
  formData: FormData,
): Promise<ActionResult<never>> {
  try {
    const input = parseInput(loginSchema, formData);
    const tenant = await getHostTenant();
    if (!tenant) throw new AppError('not_found', 'There is no organization at this address.');
    const meta = await getRequestMeta();
    const ipKey = meta.ip ?? 'unknown';
    const accountKey = `${tenant.id}:${input.email}`;
    const [ipLimit, accountLimit] = await Promise.all([
      peekRateLimit(LIMITS.loginFailuresPerIp, ipKey),
      peekRateLimit(LIMITS.loginFailuresPerAccount, accountKey),
    ]);
    if (ipLimit.limited) throw rateLimitedError(ipLimit.retryAfterSeconds);
    const attempt = await withTenant({ tenantId: tenant.id, userId: null }, async (tx) => {
      const [user] = await tx
        .select({ id: users.id, passwordHash: users.passwordHash })
        .from(users)
        .innerJoin(
          memberships,
          and(eq(memberships.userId, users.id), eq(memberships.tenantId, tenant.id)),
        )
        .where(
          and(
            eq(sql`lower(${users.email})`, input.email),
            eq(users.status, 'active'),
            eq(memberships.status, 'active'),
          ),
        );
      const ok = await verifyPassword(user?.passwordHash, input.password);
      if (!user || !ok || accountLimit.limited) {
        // Only failures at a member's account are logged; what a stranger typed is nobody's business.
        if (user) {
          await recordAudit(tx, {
            tenantId: tenant.id,
            actorUserId: user.id,
            action: accountLimit.limited ? 'session.sign_in_locked' : 'session.sign_in_failed',
            ip: meta.ip,
          });
        }
        return { token: null, memberId: user?.id ?? null };
      }
      return { token: await issueHandoffToken(tx, tenant.id, user.id), memberId: user.id };
    });
    const token = attempt.token;
    if (!token) {
      const [, account] = await Promise.all([
        hitRateLimit(LIMITS.loginFailuresPerIp, ipKey),
        hitRateLimit(LIMITS.loginFailuresPerAccount, accountKey),
      ]);
      // The failure that locks a member's account sends them the way to unlock it.
      if (attempt.memberId && account.points === LIMITS.loginFailuresPerAccount.points) {
        await sendUnlockLink({ tenant, userId: attempt.memberId, email: input.email, ip: meta.ip });
      }
      throw new AppError('invalid', INVALID_CREDENTIALS, {
        fieldErrors: { password: INVALID_CREDENTIALS },
      });
    }
    await signIn('handoff', { token, redirectTo: safeNextPath(input.next) });
    return {
      ok: false,
      error: { code: 'internal', message: 'Sign-in did not complete. Please try again.' },
    };
  } catch (error) {
    if (error instanceof AuthError) {
      return {
        ok: false,
        error: {
          code: 'invalid',
          message: INVALID_CREDENTIALS,
          fieldErrors: { password: INVALID_CREDENTIALS },
        },
      };
    }
    return toActionFailure(error);
  }
}

export async function signOutAction(): Promise<void> {
  const member = await getCurrentMember();
  if (member) {
    await revokeSession(member, (await getRequestMeta()).ip);
    await disconnectSessions([member.sessionId]);
  }
  await signOut({ redirectTo: '/login' });
}

const organizationAddressSchema = z.object({
  address: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'Enter your organization’s address.')
    .transform((v) => v.replace(/^https?:\/\//, '').split(/[./:]/)[0] ?? '')
    .pipe(slugSchema),
});

/** Root-host "sign in": finds the organization by its address; the client then goes to its sign-in page. */
export async function goToOrganization(
  _previous: ActionResult<{ redirectTo: string }> | null,
  formData: FormData,
): Promise<ActionResult<{ redirectTo: string }>> {
  try {
    const { address } = parseInput(organizationAddressSchema, formData);
    const tenant = await findTenantBySlug(address);
    if (!tenant) {
      throw new AppError('not_found', 'There is no organization at this address.', {
        fieldErrors: { address: 'There is no organization at this address. Check the spelling.' },
      });
    }
    const env = getEnv();
    return {
      ok: true,
      data: { redirectTo: `${tenantOrigin(tenant.slug, env.rootDomain, env.protocol)}/login` },
    };
  } catch (error) {
    return toActionFailure(error);
  }
}
