import 'server-only';
import { getEnv } from '@/lib/config/env';
import { tenantOrigin } from '@/lib/tenant/host';

/** What signs someone in on another organization's host: a handoff token, or a second-factor challenge. */
export type CrossHostSignIn = { token: string | null; challenge: string | null };

/**
 * Where the browser goes to land signed in on an organization's host (sign-up, switching organizations,
 * creating one from the switcher), built from configuration. The challenge travels in the fragment, which
 * browsers never send to a server or put in a Referer.
 */
export function crossHostSignInUrl(slug: string, step: CrossHostSignIn): string {
  const env = getEnv();
  const origin = tenantOrigin(slug, env.rootDomain, env.protocol);
  return step.token
    ? `${origin}/auth/handoff?token=${encodeURIComponent(step.token)}`
    : `${origin}/login#challenge=${encodeURIComponent(step.challenge!)}`;
}
