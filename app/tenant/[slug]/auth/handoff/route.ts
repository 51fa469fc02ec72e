import { unstable_rethrow } from 'next/navigation';
import { AuthError } from 'next-auth';
import { signIn } from '@/lib/auth/auth';

/**
 * The landing point of a cross-host sign-in: redeems the single-use token for a session on this host and
 * sets the host-only cookie. A spent, expired or foreign token goes to this host's sign-in page instead.
 */
export async function GET(request: Request) {
  const token = new URL(request.url).searchParams.get('token') ?? '';
  try {
    await signIn('handoff', { token, redirectTo: '/' });
  } catch (error) {
    if (error instanceof AuthError) {
      return new Response(null, {
        status: 303,
        headers: { Location: '/login?error=link', 'Cache-Control': 'no-store' },
      });
    }
    unstable_rethrow(error);
    throw error;
  }
  return new Response(null, { status: 303, headers: { Location: '/' } });
}
