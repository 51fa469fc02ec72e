import 'server-only';
import { cookies } from 'next/headers';
import NextAuth from 'next-auth';
import { decode } from 'next-auth/jwt';
import { getEnv } from '@/lib/config/env';
import { authConfig, sessionCookieName } from './config';

export const { auth, signIn, signOut } = NextAuth(() => authConfig(getEnv()));

export type SessionPointer = { sessionId: string; tenantId: string; userId: string };

/**
 * Tokens this process has already decrypted, so a signed-in member's every request does not pay for the
 * key derivation and decryption again: only tokens that decrypted and verified are kept, each until its own
 * expiry, and at most `DECODED_LIMIT` of them (oldest out first).
 */
const decoded = new Map<string, { pointer: SessionPointer; expiresAt: number }>();
const DECODED_LIMIT = 10_000;

/**
 * The session pointer in this request's cookie: decrypted and checked (signature, expiry) directly, without
 * `auth()`, which also re-encrypts a refreshed cookie that server code cannot set anyway (about 3 ms of CPU
 * per request). Whether the session is still valid is the session row's business (lib/auth/session.ts).
 */
export async function getSessionPointer(): Promise<SessionPointer | null> {
  const env = getEnv();
  const name = sessionCookieName(env);
  const token = (await cookies()).get(name)?.value;
  if (!token) return null;
  const known = decoded.get(token);
  if (known && known.expiresAt > Date.now()) return known.pointer;
  if (known) decoded.delete(token);
  const claims = await decode({ token, secret: env.authSecret, salt: name }).catch(() => null);
  const { sid, tid, sub, exp } = claims ?? {};
  if (typeof sid !== 'string' || typeof tid !== 'string' || typeof sub !== 'string') return null;
  const pointer = { sessionId: sid, tenantId: tid, userId: sub };
  if (typeof exp === 'number') {
    if (decoded.size >= DECODED_LIMIT) decoded.delete(decoded.keys().next().value!);
    decoded.set(token, { pointer, expiresAt: exp * 1000 });
  }
  return pointer;
}
