import 'server-only';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
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
 * Sign-up on the root host: the organization with a new account, or with an existing one whose password is
 * given (see `openOrganization`). An email that already has an account is attached to the new organization
 * only with that account's password; the answer never says the account exists on its own.
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
      const userId =
        existing?.id ??
        (
          await tx
            .insert(users)
            .values({ email: input.email, name: input.name, passwordHash: newUserHash! })
            .returning({ id: users.id })
        )[0]!.id;
      return openOrganization(
        tx,
        input,
        {
          id: userId,
          name: existing?.name ?? input.name,
          email: input.email,
          emailVerified: Boolean(existing?.emailVerifiedAt),
          // An account with two-factor sign-in is signed in on the new host only after its second factor.
          needsSecondFactor: Boolean(existing?.twoFactorEnabledAt),
        },
        { ip: meta.ip, metadata: { newAccount: !existing } },
      );
    });
  } catch (error) {
    throw organizationConflict(error) ?? error;
  }
}

export type NewOrganization = Pick<SignupInput, 'organizationName' | 'slug'>;

export type Owner = {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  /** Signed in on the new host only after a second factor (a challenge instead of a handoff). */
  needsSecondFactor: boolean;
};

/**
 * Creates the tenant, its owner membership and the audit event in the caller's platform transaction, plus a
 * single-use token that signs the owner in on the new subdomain (or a challenge the new subdomain's sign-in
 * page asks them to answer), and queues the verification mail of an address not yet confirmed. Sign-up and
 * the organization switcher (lib/my-organizations) share it; a handoff made from a signed-in session names
 * it, so it is redeemed only while that session is live.
 */
export async function openOrganization(
  tx: Transaction,
  input: NewOrganization,
  owner: Owner,
  p: { ip: string | null; userAgent?: string | null; sourceSessionId?: string; metadata?: object },
) {
  const [tenant] = await tx
    .insert(tenants)
    .values({ slug: input.slug, name: input.organizationName })
    .returning({ id: tenants.id, slug: tenants.slug });
  const tenantId = tenant!.id;
  await tx.insert(memberships).values({ tenantId, userId: owner.id, role: 'owner' });
  await recordAudit(tx, {
    tenantId,
    actorUserId: owner.id,
    action: 'organization.created',
    targetType: 'tenant',
    targetId: tenantId,
    metadata: { slug: input.slug, name: input.organizationName, ...p.metadata },
    ip: p.ip,
    userAgent: p.userAgent ?? null,
  });
  const challenge = owner.needsSecondFactor ? await issueChallenge(tx, tenantId, owner.id) : null;
  const token = challenge
    ? null
    : await issueHandoffToken(tx, tenantId, owner.id, { sourceSessionId: p.sourceSessionId });
  if (!owner.emailVerified) {
    const verification = await insertEmailToken(tx, {
      tenantId,
      userId: owner.id,
      purpose: 'verify_email',
    });
    await queueMail(
      tx,
      tenantId,
      verifyEmailMessage(owner.email, {
        name: owner.name,
        organization: input.organizationName,
        url: tenantLink(tenant!.slug, '/verify-email', verification),
      }),
    );
  }
  return { slug: tenant!.slug, token, challenge };
}

/** A taken subdomain, or a race with another sign-up of the same email, as the message the form shows. */
export function organizationConflict(error: unknown): AppError | null {
  const constraint = uniqueViolation(error);
  // Taken by an organization, or still redirecting to one that left it (the slug claim trigger).
  if (constraint === 'tenants_slug_key' || constraint === 'tenants_slug_redirected') {
    return new AppError('conflict', 'Please correct the highlighted fields.', {
      fieldErrors: { slug: 'This subdomain is already taken. Please choose another.' },
    });
  }
  if (constraint === 'users_email_key') {
    // Another sign-up with this email won the race; the retry takes the existing-account path.
    return new AppError(
      'conflict',
      'This request overlapped with another one. Please submit again.',
    );
  }
  return null;
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
