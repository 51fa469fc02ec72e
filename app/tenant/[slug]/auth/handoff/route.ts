import { HANDOFF_EXPIRED_PATH } from '@/lib/auth/handoff';
import { isFollowedFromOwnPage } from '@/lib/auth/handoff-referer';
import { openSession } from '@/lib/auth/open-session';
import { isAppError } from '@/lib/errors/app-error';

/**
 * The landing point of a cross-host sign-in: redeems the single-use token for a session on this host and
 * sets the host-only cookie. A spent, expired or foreign token goes to this host's sign-in page instead.
 *
 * Followed from one of the app's own pages (sign-up on the root host, another organization's host), a GET
 * signs in at once. Any other GET may be someone's own fresh link, sent to make the visitor work in the
 * sender's organization (login CSRF): it leads to a confirmation page, which does not spend the token.
 */
export async function GET(request: Request) {
  const token = new URL(request.url).searchParams.get('token') ?? '';
  if (!(await isFollowedFromOwnPage(request))) {
    return seeOther(`/auth/handoff/confirm?token=${encodeURIComponent(token)}`);
  }
  return signInWith(token);
}

/** The confirmation page's "Continue". Same-origin only: scripts/serve.ts refuses writes from other origins. */
export async function POST(request: Request) {
  const token = (await request.formData().catch(() => null))?.get('token');
  return signInWith(typeof token === 'string' ? token : '');
}

async function signInWith(token: string) {
  try {
    await openSession(token);
  } catch (error) {
    if (isAppError(error)) return seeOther(HANDOFF_EXPIRED_PATH);
    throw error;
  }
  return seeOther('/');
}

const seeOther = (location: string) =>
  new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } });
