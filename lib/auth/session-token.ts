import 'server-only';
import { decode } from 'next-auth/jwt';
import type { Env } from '@/lib/config/env';

export type SessionPointer = { sessionId: string; tenantId: string; userId: string };

/** The session cookie Auth.js sets on a tenant host; `__Host-` over HTTPS, so it can never be a parent domain's. */
export const sessionCookieName = (env: Pick<Env, 'protocol'>) =>
  env.protocol === 'https:' ? '__Host-authjs.session-token' : 'authjs.session-token';

/**
 * Tokens this process has already decrypted, so a signed-in member's every request does not pay for the
 * key derivation and decryption again: only tokens that decrypted and verified are kept, each until its own
 * expiry, and at most `DECODED_LIMIT` of them (oldest out first). On globalThis: Next.js bundles this module
 * more than once, and the project's server (scripts/serve.ts) answers the board route with its own copy.
 */
const KEY = Symbol.for('tenantry.decodedSessionTokens');
const holder = globalThis as {
  [KEY]?: Map<string, { pointer: SessionPointer; expiresAt: number }>;
};
holder[KEY] ??= new Map();
const decoded = holder[KEY];
const DECODED_LIMIT = 10_000;

/**
 * The session pointer a session cookie carries: decrypted and checked (signature, expiry) directly, without
 * `auth()`, which also re-encrypts a refreshed cookie that server code cannot set anyway (about 3 ms of CPU
 * per request). Null for a missing, forged, expired or foreign token. Whether the session is still valid is
 * the session row's business (lib/auth/member-check.ts).
 */
export async function decodeSessionToken(
  env: Pick<Env, 'protocol' | 'authSecret'>,
  token: string | undefined,
): Promise<SessionPointer | null> {
  if (!token) return null;
  const known = decoded.get(token);
  if (known && known.expiresAt > Date.now()) return known.pointer;
  if (known) decoded.delete(token);
  const claims = await decode({
    token,
    secret: env.authSecret,
    salt: sessionCookieName(env),
  }).catch(() => null);
  const { sid, tid, sub, exp } = claims ?? {};
  if (typeof sid !== 'string' || typeof tid !== 'string' || typeof sub !== 'string') return null;
  const pointer = { sessionId: sid, tenantId: tid, userId: sub };
  if (typeof exp === 'number') {
    if (decoded.size >= DECODED_LIMIT) decoded.delete(decoded.keys().next().value!);
    decoded.set(token, { pointer, expiresAt: exp * 1000 });
  }
  return pointer;
}

/**
 * One cookie's value from a Cookie request header, read as Next.js reads `cookies()` in the app (the last
 * pair of that name wins; a value that does not decode is skipped), so both paths see the same session.
 */
export function cookieFromHeader(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  let found: string | undefined;
  for (const pair of header.split(/; */)) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq) !== name) continue;
    try {
      found = decodeURIComponent(pair.slice(eq + 1));
    } catch {}
  }
  return found;
}
