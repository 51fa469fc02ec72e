import 'server-only';
import { cookies } from 'next/headers';
import NextAuth from 'next-auth';
import { decode } from 'next-auth/jwt';
import { getEnv } from '@/lib/config/env';
import { authConfig, sessionCookieName } from './config';

export const { auth, signIn, signOut } = NextAuth(() => authConfig(getEnv()));

export type SessionPointer = { sessionId: string; tenantId: string; userId: string };

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
  const claims = await decode({ token, secret: env.authSecret, salt: name }).catch(() => null);
  const { sid, tid, sub } = claims ?? {};
  if (typeof sid !== 'string' || typeof tid !== 'string' || typeof sub !== 'string') return null;
  return { sessionId: sid, tenantId: tid, userId: sub };
}
