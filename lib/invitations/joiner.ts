import 'server-only';
import { eq, sql } from 'drizzle-orm';
import type { Tenant } from '@/db/schema';
import { users, userTwoFactor } from '@/db/schema';
import { withPlatform } from '@/db/with-platform';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { newPasswordSchema } from '@/lib/auth/password-policy';
import { countSignInFailure, isAccountLocked } from '@/lib/auth/sign-in-failures';
import { AppError } from '@/lib/errors/app-error';
import { consumeRateLimit, LIMITS, peekRateLimit, rateLimitedError } from '@/lib/rate-limit/limit';
import { signupSchema } from '@/lib/signup/schemas';
import { JOIN_LIMITS } from './limits';
import type { JoinInput } from './schemas';

/** Why the platform path is crossed: the address's account is no member yet, so the tenant cannot see it. */
export type JoinReason = 'join-by-invitation' | 'join-by-domain';

export type Account = { id: string; passwordHash: string; active: boolean; hasTwoFactor: boolean };

/** The account with this address, whichever organizations it belongs to (read on the platform path). */
export async function findAccountByEmail(
  reason: JoinReason,
  email: string,
): Promise<Account | null> {
  const [row] = await withPlatform(reason, (tx) =>
    tx
      .select({
        id: users.id,
        passwordHash: users.passwordHash,
        status: users.status,
        twoFactorEnabledAt: userTwoFactor.enabledAt,
      })
      .from(users)
      .leftJoin(userTwoFactor, eq(userTwoFactor.userId, users.id))
      .where(eq(sql`lower(${users.email})`, email)),
  );
  if (!row) return null;
  return {
    id: row.id,
    passwordHash: row.passwordHash,
    active: row.status === 'active',
    hasTwoFactor: row.twoFactorEnabledAt !== null,
  };
}

/** Who is joining, once their credentials have checked out. */
export type Joiner =
  | { kind: 'existing'; userId: string; code: string | null }
  | { kind: 'new'; name: string; passwordHash: string };

const FIX = 'Please correct the highlighted fields.';
const invalid = (field: string, message: string) =>
  new AppError('invalid', FIX, { fieldErrors: { [field]: message } });

/** Wrong second factors count like wrong passwords: per client address and per (organization, address). */
export const countJoinFailure = (tenant: Tenant, email: string, ip: string | null) =>
  countSignInFailure({ tenant, ip, email, memberId: null });

/**
 * The first half of joining, before anything is written: an existing account proves itself with its password
 * (the same budgets and lock as sign-in), and one with two-factor sign-in is asked for a code before anything
 * happens (`secondFactor`); its code is spent in the joining transaction. A new person chooses a name and a
 * password by the sign-up rules.
 */
export async function checkJoiner(p: {
  tenant: Tenant;
  email: string;
  input: JoinInput;
  reason: JoinReason;
  ip: string | null;
}): Promise<Joiner | { secondFactor: true }> {
  const ipKey = p.ip ?? 'unknown';
  await consumeRateLimit(LIMITS.loginAttemptsPerIp, ipKey);
  const ipFailures = await peekRateLimit(LIMITS.loginFailuresPerIp, ipKey);
  if (ipFailures.limited) throw rateLimitedError(ipFailures.retryAfterSeconds);
  const account = await findAccountByEmail(p.reason, p.email);
  if (account) {
    const [locked, matches] = await Promise.all([
      isAccountLocked(p.tenant.id, p.email),
      verifyPassword(account.passwordHash, p.input.password),
    ]);
    if (!matches || locked) {
      await countJoinFailure(p.tenant, p.email, p.ip);
      throw invalid('password', `This is not the password of the account of ${p.email}.`);
    }
    if (!account.active) throw invalid('password', 'This account is disabled and cannot join.');
    const code = p.input.code?.trim() || null;
    if (account.hasTwoFactor && !code) return { secondFactor: true };
    return { kind: 'existing', userId: account.id, code: account.hasTwoFactor ? code : null };
  }
  const name = signupSchema.shape.name.safeParse(p.input.name ?? '');
  if (!name.success) throw invalid('name', name.error.issues[0]!.message);
  const password = newPasswordSchema.safeParse(p.input.password);
  if (!password.success) throw invalid('password', password.error.issues[0]!.message);
  if (p.input.confirm !== undefined && p.input.confirm !== p.input.password) {
    throw invalid('confirm', 'The two passwords differ.');
  }
  // Hashing costs CPU: a budget per client address, as for setting a password from a reset link.
  await consumeRateLimit(JOIN_LIMITS.newAccountPerIp, ipKey);
  return { kind: 'new', name: name.data, passwordHash: await hashPassword(p.input.password) };
}
