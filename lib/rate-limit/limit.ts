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
  loginPerIp: { name: 'login:ip', points: 30, windowSeconds: 900 },
  resetPerIp: { name: 'reset:ip', points: 10, windowSeconds: 900 },
  verificationResendPerUser: { name: 'verify-resend:user', points: 3, windowSeconds: 3600 },
} satisfies Record<string, RateLimit>;

/**
 * Counts one attempt against a fixed window held in PostgreSQL, so every app process shares the count.
 * Throws `rate_limited` with the seconds until the window resets once the budget is spent.
 */
export async function consumeRateLimit(limit: RateLimit, subject: string): Promise<void> {
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
  if (row && row.points > limit.points) {
    const minutes = Math.ceil(row.retry_after / 60);
    throw new AppError(
      'rate_limited',
      `Too many attempts. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
      { retryAfterSeconds: Math.max(1, row.retry_after) },
    );
  }
}
