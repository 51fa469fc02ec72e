import { HANDOFF_EXPIRED_PATH } from '@/lib/auth/handoff';
import { isFollowedFromOwnPage } from '@/lib/auth/handoff-referer';
import { openSession, safeNextPath } from '@/lib/auth/open-session';
import { isAppError } from '@/lib/errors/app-error';
import { getHostTenant } from '@/lib/tenant/resolve';

/**
 * The landing point of a cross-host sign-in: redeems the single-use token for a session on this host and
 * sets the host-only cookie. A spent, expired or foreign token goes to this host's sign-in page instead.
 *
 * Followed from one of the app's own pages (sign-up on the root host, another organization's host), a GET
 * signs in at once. Any other GET may be someone's own fresh link, sent to make the visitor work in the
 * sender's organization (login CSRF): it leads to a confirmation page, which does not spend the token.
 */
export async function GET(request: Request) {
  const params = new URL(request.url).searchParams;
  const token = params.get('token') ?? '';
  const next = params.get('next');
  if (!(await isFollowedFromOwnPage(request))) {
    const confirm = new URLSearchParams({ token, ...(next ? { next } : {}) });
    return seeOther(`/auth/handoff/confirm?${confirm}`);
  }
  return signInWith(token, next);
}

/** The confirmation page's "Continue". Same-origin only: scripts/serve.ts refuses writes from other origins. */
export async function POST(request: Request) {
  const form = await request.formData().catch(() => null);
  const [token, next] = [form?.get('token'), form?.get('next')];
  return signInWith(typeof token === 'string' ? token : '', typeof next === 'string' ? next : null);
}

/** Signs in, then lands on `next` (a session moved from a former address keeps its page), on this host only. */
async function signInWith(token: string, next: string | null) {
  try {
    await openSession(token);
  } catch (error) {
    if (isAppError(error)) return seeOther(HANDOFF_EXPIRED_PATH);
    throw error;
  }
  const tenant = await getHostTenant();
  return seeOther(tenant ? safeNextPath(next ?? undefined, tenant) : '/');
}

const seeOther = (location: string) =>
  new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } });
