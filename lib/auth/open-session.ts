import 'server-only';
import { AuthError } from 'next-auth';
import { AppError } from '@/lib/errors/app-error';
import { signIn } from './auth';

/** Only same-host paths: an open redirect would let a link bounce a signed-in user anywhere. */
export function safeNextPath(next: string | undefined) {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

/**
 * Opens the session from a handoff token (the last step of every sign-in on a tenant host): the session row
 * is created and the host-only cookie set on the current route handler's response.
 */
export async function openSession(handoffToken: string): Promise<void> {
  try {
    await signIn('handoff', { token: handoffToken, redirect: false });
  } catch (error) {
    if (error instanceof AuthError) {
      throw new AppError('unauthenticated', 'Sign-in did not complete. Please sign in again.');
    }
    throw error;
  }
}
