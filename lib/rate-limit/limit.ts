import 'server-only';
import { sql } from 'drizzle-orm';
import { withPlatform } from '@/db/with-platform';
import { getEnv } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';

export type RateLimit = { name: string; points: number; windowSeconds: number };

export const LIMITS = {
  get signupPerIp(): RateLimit {
    return { name: 'signup:ip', points: getEnv().signupsPerHourPerIp, windowSeconds: 3600 };
  },
  signupExistingAccount: { name: 'signup:account', points: 5, windowSeconds: 900 },
  slugCheckPerIp: { name: 'slug-check:ip', points: 120, windowSeconds: 60 },
  // Every sign-in request (password or second factor) from one address, whether or not it succeeds.
  loginAttemptsPerIp: { name: 'login-attempts:ip', points: 100, windowSeconds: 900 },
  loginFailuresPerIp: { name: 'login-failures:ip', points: 30, windowSeconds: 900 },
  loginFailuresPerAccount: { name: 'login-failures:account', points: 5, windowSeconds: 900 },
  resetPerIp: { name: 'reset:ip', points: 10, windowSeconds: 900 },
  // Setting a new password from a link hashes it (argon2): a budget per address, so bogus links cannot drain CPU.
  resetConfirmPerIp: { name: 'reset-confirm:ip', points: 20, windowSeconds: 900 },
  // Setting 2FA up, turning it off or replacing recovery codes asks for the password: no guessing either.
  twoFactorManagePerUser: { name: 'two-factor-manage:user', points: 10, windowSeconds: 900 },
  verificationResendPerUser: { name: 'verify-resend:user', points: 3, windowSeconds: 3600 },
  // An audit export reads up to the whole trail: plenty for a person, not a loop.
  auditExportPerUser: { name: 'audit-export:user', points: 30, windowSeconds: 3600 },
  // Creating organizations from the switcher, on top of the sign-up budget per address.
  organizationsPerUser: { name: 'new-organization:user', points: 10, windowSeconds: 86400 },
  // Each switch issues a handoff token: generous for a person, a wall for a script.
  switchesPerUser: { name: 'switch:user', points: 60, windowSeconds: 900 },
  // "Find my organizations" mails an address: few per address, so it cannot be used to flood someone.
  findOrganizationsPerIp: { name: 'find-organizations:ip', points: 10, windowSeconds: 900 },
  findOrganizationsPerEmail: { name: 'find-organizations:email', points: 3, windowSeconds: 3600 },
} satisfies Record<string, RateLimit>;

type Hit = { limited: boolean; points: number; retryAfterSeconds: number };

/** Counts one attempt against a fixed window held in PostgreSQL, so every app process shares the count. */
export async function hitRateLimit(limit: RateLimit, subject: string): Promise<Hit> {
  const key = `${limit.name}:${subject}`;
  const [row] = await withPlatform('rate-limit', (tx) =>
    tx.execute<{ points: number; retry_after: number }>(sql`
      insert into rate_limits (key, points, expires_at)
      values (${key}, 1, now() + make_interval(secs => ${limit.windowSeconds}))
      on conflict (key) do update set
        points = case when rate_limits.expires_at <= now() then 1 else rate_limits.points + 1 end,
        expires_at = case when rate_limits.expires_at <= now()
          then now() + make_interval(secs => ${limit.windowSeconds}) else rate_limits.expires_at end
      returning points, ceil(extract(epoch from expires_at - now()))::int as retry_after`),
  );
  return {
    limited: (row?.points ?? 0) > limit.points,
    points: row?.points ?? 0,
    retryAfterSeconds: Math.max(1, row?.retry_after ?? 1),
  };
}

/** Whether the budget is already spent, without counting an attempt. */
export async function peekRateLimit(limit: RateLimit, subject: string): Promise<Hit> {
  const key = `${limit.name}:${subject}`;
  const [row] = await withPlatform('rate-limit', (tx) =>
    tx.execute<{ points: number; retry_after: number }>(sql`
      select points, ceil(extract(epoch from expires_at - now()))::int as retry_after
      from rate_limits where key = ${key} and expires_at > now()`),
  );
  return {
    limited: (row?.points ?? 0) >= limit.points,
    points: row?.points ?? 0,
    retryAfterSeconds: Math.max(1, row?.retry_after ?? 1),
  };
}

export function rateLimitedError(retryAfterSeconds: number) {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return new AppError(
    'rate_limited',
    `Too many attempts. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
    { retryAfterSeconds },
  );
}

/** Counts one attempt and throws `rate_limited`, with the seconds until the window resets, once over budget. */
export async function consumeRateLimit(limit: RateLimit, subject: string): Promise<void> {
  const hit = await hitRateLimit(limit, subject);
  if (hit.limited) throw rateLimitedError(hit.retryAfterSeconds);
}

/** Clears a counter early, e.g. when the owner of a locked account unlocks it from the emailed link. */
export async function resetRateLimit(limit: RateLimit, subject: string): Promise<void> {
  const key = `${limit.name}:${subject}`;
  await withPlatform('rate-limit', (tx) =>
    tx.execute(sql`delete from rate_limits where key = ${key}`),
  );
}
