import 'server-only';
import { z } from 'zod';
import { getRequestMeta } from '@/lib/http/request-meta';
import { consumeRateLimit, LIMITS, peekRateLimit, rateLimitedError } from '@/lib/rate-limit/limit';
import { getHostTenantOrThrow } from '@/lib/tenant/resolve';
import { CHALLENGE_TTL_SECONDS, passChallenge } from '@/lib/two-factor/challenge';
import { openSession, safeNextPath } from './open-session';
import { checkPassword, type loginSchema } from './password-sign-in';

/** What the sign-in form receives: where to go now, or the second step to show. */
export type SignInResponse =
  | { redirectTo: string }
  | { secondFactor: { challenge: string; expiresInSeconds: number } };

/** POST /api/login on a tenant host: the password step. */
export async function signInWithPassword(
  input: z.output<typeof loginSchema>,
): Promise<SignInResponse> {
  const tenant = await getHostTenantOrThrow();
  const { ip } = await getRequestMeta();
  const step = await checkPassword(tenant, input, ip);
  if (step.kind === 'second_factor') {
    return {
      secondFactor: { challenge: step.challenge, expiresInSeconds: CHALLENGE_TTL_SECONDS },
    };
  }
  await openSession(step.handoffToken);
  return { redirectTo: safeNextPath(input.next, tenant) };
}

export const secondFactorSchema = z.object({
  // Anything that is not a live challenge is answered as an expired one, by passChallenge.
  challenge: z.string().max(100),
  code: z
    .string()
    .trim()
    .min(1, 'Enter the code from your authenticator app, or a recovery code.')
    .max(32, 'This code is too long.'),
  next: z.string().max(2048).optional(),
});

/** POST /api/login/second-factor: the TOTP or recovery code that completes a challenged sign-in. */
export async function signInWithSecondFactor(
  input: z.output<typeof secondFactorSchema>,
): Promise<SignInResponse> {
  const tenant = await getHostTenantOrThrow();
  const { ip } = await getRequestMeta();
  await consumeRateLimit(LIMITS.loginAttemptsPerIp, ip ?? 'unknown');
  const ipFailures = await peekRateLimit(LIMITS.loginFailuresPerIp, ip ?? 'unknown');
  if (ipFailures.limited) throw rateLimitedError(ipFailures.retryAfterSeconds);
  const handoffToken = await passChallenge({
    tenant,
    challenge: input.challenge,
    code: input.code,
    ip,
  });
  await openSession(handoffToken);
  return { redirectTo: safeNextPath(input.next, tenant) };
}
