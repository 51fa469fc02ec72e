import 'server-only';
import { cookies } from 'next/headers';
import NextAuth from 'next-auth';
import { getEnv } from '@/lib/config/env';
import { authConfig } from './config';
import { decodeSessionToken, type SessionPointer, sessionCookieName } from './session-token';

export const { auth, signIn, signOut } = NextAuth(() => authConfig(getEnv()));

export type { SessionPointer } from './session-token';

/** The session pointer in this request's cookie (see `decodeSessionToken`). */
export async function getSessionPointer(): Promise<SessionPointer | null> {
  const env = getEnv();
  return decodeSessionToken(env, (await cookies()).get(sessionCookieName(env))?.value);
}
