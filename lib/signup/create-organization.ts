import 'server-only';
import { and, eq, gt, sql } from 'drizzle-orm';
import { memberships, tenantSlugRedirects, tenants, users, userTwoFactor } from '@/db/schema';
import { withPlatform } from '@/db/with-platform';
import { insertEmailToken } from '@/lib/account/email-tokens';
import { tenantLink } from '@/lib/account/links';
import { recordAudit } from '@/lib/audit/record';
import { issueHandoffToken } from '@/lib/auth/handoff';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { AppError } from '@/lib/errors/app-error';
import { uniqueViolation } from '@/lib/errors/postgres';
import { queueMail } from '@/lib/mail/queue-mail';
import { verifyEmailMessage } from '@/lib/mail/templates';
import { consumeRateLimit, LIMITS } from '@/lib/rate-limit/limit';
import { issueChallenge } from '@/lib/two-factor/challenge';
import type { SignupInput } from './schemas';

const WRONG_PASSWORD_FOR_EMAIL =
  'This password does not match this email. If you already have an account, enter that account’s password.';

/**
 * Creates the tenant, its owner membership and the audit event in one platform transaction, plus a
 * single-use token that signs the owner in on the new subdomain (or, for an account with two-factor sign-in,
 * a challenge the new subdomain's sign-in page asks them to answer), and queues the verification mail of an
 * address not yet confirmed. An email that already has an account is
 * attached to the new organization only with that account's password; the answer never says the account
 * exists on its own.
 */
export async function createOrganization(input: SignupInput, meta: { ip: string | null }) {
  await consumeRateLimit(LIMITS.signupPerIp, meta.ip ?? 'unknown');
  const [existing] = await withPlatform('signup', (tx) =>
    tx
      .select({
        id: users.id,
        name: users.name,
        passwordHash: users.passwordHash,
        status: users.status,
        emailVerifiedAt: users.emailVerifiedAt,
        twoFactorEnabledAt: userTwoFactor.enabledAt,
      })
      .from(users)
      .leftJoin(userTwoFactor, eq(userTwoFactor.userId, users.id))
      .where(eq(sql`lower(${users.email})`, input.email)),
  );
  let newUserHash: string | null = null;
  if (existing) {
    await consumeRateLimit(LIMITS.signupExistingAccount, input.email);
    const matches = await verifyPassword(existing.passwordHash, input.password);
    if (!matches || existing.status !== 'active') {
      throw new AppError('invalid', 'Please correct the highlighted fields.', {
        fieldErrors: { password: WRONG_PASSWORD_FOR_EMAIL },
      });
    }
  } else {
    newUserHash = await hashPassword(input.password);
  }

  try {
    return await withPlatform('signup', async (tx) => {
      const [tenant] = await tx
        .insert(tenants)
        .values({ slug: input.slug, name: input.organizationName })
        .returning({ id: tenants.id, slug: tenants.slug });
      const userId =
        existing?.id ??
        (
          await tx
            .insert(users)
            .values({ email: input.email, name: input.name, passwordHash: newUserHash! })
            .returning({ id: users.id })
        )[0]!.id;
      await tx.insert(memberships).values({ tenantId: tenant!.id, userId, role: 'owner' });
      await recordAudit(tx, {
        tenantId: tenant!.id,
        actorUserId: userId,
        action: 'organization.created',
        targetType: 'tenant',
        targetId: tenant!.id,
        metadata: { slug: input.slug, name: input.organizationName, newAccount: !existing },
        ip: meta.ip,
      });
      // An account with two-factor sign-in is signed in on the new host only after its second factor.
      const challenge = existing?.twoFactorEnabledAt
        ? await issueChallenge(tx, tenant!.id, userId)
        : null;
      const token = challenge ? null : await issueHandoffToken(tx, tenant!.id, userId);
      if (!existing?.emailVerifiedAt) {
        const verification = await insertEmailToken(tx, {
          tenantId: tenant!.id,
          userId,
          purpose: 'verify_email',
        });
        await queueMail(
          tx,
          tenant!.id,
          verifyEmailMessage(input.email, {
            name: existing?.name ?? input.name,
            organization: input.organizationName,
            url: tenantLink(tenant!.slug, '/verify-email', verification),
          }),
        );
      }
      return { slug: tenant!.slug, token, challenge };
    });
  } catch (error) {
    const constraint = uniqueViolation(error);
    // Taken by an organization, or still redirecting to one that left it (db migration 0039).
    if (constraint === 'tenants_slug_key' || constraint === 'tenants_slug_redirected') {
      throw new AppError('conflict', 'Please correct the highlighted fields.', {
        fieldErrors: { slug: 'This subdomain is already taken. Please choose another.' },
      });
    }
    if (constraint === 'users_email_key') {
      // Another sign-up with this email won the race; the retry takes the existing-account path.
      throw new AppError(
        'conflict',
        'This request overlapped with another one. Please submit again.',
      );
    }
    throw error;
  }
}

export type SlugAvailability = { available: boolean; message: string };

/** Free when no organization has it, and no organization's former address still redirects from it. */
export async function checkSlugAvailability(slug: string): Promise<SlugAvailability> {
  const [taken] = await withPlatform('slug-availability', (tx) =>
    tx
      .select({ id: tenants.id })
      .from(tenants)
      .where(eq(tenants.slug, slug))
      .union(
        tx
          .select({ id: tenantSlugRedirects.targetTenantId })
          .from(tenantSlugRedirects)
          .where(
            and(eq(tenantSlugRedirects.slug, slug), gt(tenantSlugRedirects.expiresAt, sql`now()`)),
          ),
      )
      .limit(1),
  );
  return taken
    ? { available: false, message: 'This subdomain is already taken. Please choose another.' }
    : { available: true, message: 'This subdomain is available.' };
}
