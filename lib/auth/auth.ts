import 'server-only';
import NextAuth from 'next-auth';
import { getEnv } from '@/lib/config/env';
import { authConfig } from './config';

export const { auth, signIn, signOut } = NextAuth(() => authConfig(getEnv()));

export type SessionPointer = { sessionId: string; tenantId: string; userId: string };

export async function getSessionPointer(): Promise<SessionPointer | null> {
  const session = (await auth()) as {
    sessionId?: string | null;
    tenantId?: string | null;
    userId?: string | null;
  } | null;
  if (!session?.sessionId || !session.tenantId || !session.userId) return null;
  return { sessionId: session.sessionId, tenantId: session.tenantId, userId: session.userId };
}
