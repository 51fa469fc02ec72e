import 'server-only';
import { headers } from 'next/headers';
import { permanentRedirect, redirect } from 'next/navigation';
import { type SessionCheckRow, sessionCheckSql } from '@/db/statements/session-check';
import { queryWithTenant, withTenant } from '@/db/with-tenant';
import { getHostMove, type HostMove, movedUrl } from '@/lib/tenant/moved';
import { getSessionPointer } from './auth';
import { issueHandoffToken } from './handoff';
import { REQUEST_PATH_HEADER } from './request-path';

export async function currentRequestPath(): Promise<string> {
  const path = (await headers()).get(REQUEST_PATH_HEADER) ?? '/';
  return path.startsWith('/') ? path : '/';
}

export type HostMoveTarget = { move: HostMove; url: string; signedIn: boolean };

/**
 * Where a request to an organization's former address goes, or null on any other host. Cookies are
 * host-only, so a signed-in browser would arrive signed out on the new host: its session (checked like any
 * request's) is carried over by a single-use handoff bound to it, which lands on the same path. Everyone
 * else goes to the same path on the new host.
 */
export async function hostMoveTarget(path: string): Promise<HostMoveTarget | null> {
  const move = await getHostMove();
  if (!move) return null;
  const handoff = await handoffForSessionOn(move, path);
  return handoff
    ? { move, url: handoff, signedIn: true }
    : { move, url: movedUrl(move, path), signedIn: false };
}

async function handoffForSessionOn(move: HostMove, path: string): Promise<string | null> {
  const pointer = await getSessionPointer();
  if (!pointer || pointer.tenantId !== move.tenantId) return null;
  const ctx = { tenantId: move.tenantId, userId: pointer.userId };
  const [live] = await queryWithTenant<SessionCheckRow>(
    ctx,
    sessionCheckSql(move.tenantId, pointer),
  );
  if (!live) return null;
  const token = await withTenant(ctx, (tx) =>
    issueHandoffToken(tx, move.tenantId, pointer.userId, { sourceSessionId: pointer.sessionId }),
  );
  const landing = new URL(movedUrl(move, path));
  const url = new URL(movedUrl(move, '/auth/handoff'));
  url.searchParams.set('token', token);
  url.searchParams.set('next', landing.pathname + landing.search);
  return url.toString();
}

/** For pages: the redirect to the organization's new address, when this host is a former one. */
export async function redirectIfHostMoved(path: string): Promise<void> {
  const target = await hostMoveTarget(path);
  if (!target) return;
  if (target.signedIn) redirect(target.url);
  permanentRedirect(target.url);
}
