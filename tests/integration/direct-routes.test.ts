import { randomUUID } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { asSuperuser, connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import type { Member, Org } from '../support/orgs';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', () => import('../support/fake-request'));
request.ip = '203.0.113.61';

const { createProject } = await import('@/lib/projects/actions');
const { GET: nextBoard } = await import('@/app/api/projects/[id]/board/route');
const { answerDirect, matchDirectRoute } = await import('@/lib/http/direct-routes');
const { sessionCookieName } = await import('@/lib/auth/session-token');
const { getEnv } = await import('@/lib/config/env');
const orgs = await import('../support/orgs');
const { ok } = orgs;

/**
 * The board as the project's server answers it itself (lib/http/direct-routes.ts) must be the board as
 * Next.js answers it, for every kind of caller: same status, body and headers. The server takes the host
 * and a real session cookie; Next's route takes them from the (mocked) request. Each case also states the
 * status it must have, so the two cannot agree on a wrong answer.
 */

type Caller = {
  host: string;
  /** The session the cookie points to (null: no cookie); `token` overrides the cookie itself. */
  pointer: { sessionId: string; tenantId: string; userId: string } | null;
  token?: string;
};

let platform: Sql;
let a: Org;
let b: Org;
let viewer: Member;
let projectA: string;
let projectB: string;

const hostOf = (org: Org) => `${org.slug}.localhost:3000`;
const pointerOf = (org: Org, m: Pick<Member, 'userId' | 'session'>) => ({
  sessionId: m.session.sessionId,
  tenantId: org.tenantId,
  userId: m.userId,
});
const ownerOf = (org: Org) => ({ userId: org.session.userId, session: org.session });

async function cookieFor(pointer: NonNullable<Caller['pointer']>) {
  const env = getEnv();
  return encode({
    token: { sid: pointer.sessionId, tid: pointer.tenantId, sub: pointer.userId },
    secret: env.authSecret,
    salt: sessionCookieName(env),
  });
}

const SHOWN_HEADERS = ['cache-control', 'content-type', 'location', 'retry-after'];

/** The same request, answered both ways. */
async function both(caller: Caller, path: string) {
  request.host = caller.host;
  request.pointer = caller.token === undefined ? caller.pointer : null;
  const match = matchDirectRoute('GET', path);
  if (!match) throw new Error(`${path} is not a direct route`);
  const response = await nextBoard(new Request(`http://${caller.host}${path}`), {
    params: Promise.resolve(match.params),
  });
  const viaNext = {
    status: response.status,
    body: await response.text(),
    headers: Object.fromEntries(SHOWN_HEADERS.map((h) => [h, response.headers.get(h)])),
  };
  const token = caller.token ?? (caller.pointer ? await cookieFor(caller.pointer) : undefined);
  const answer = await answerDirect(match, { url: path, host: caller.host, sessionToken: token });
  const direct = {
    status: answer.status,
    body: answer.body,
    headers: Object.fromEntries(
      SHOWN_HEADERS.map((h) => [
        h,
        Object.entries(answer.headers).find(([name]) => name.toLowerCase() === h)?.[1] ?? null,
      ]),
    ),
  };
  expect(direct).toEqual(viaNext);
  return direct;
}

const board = (project: string) => `/api/projects/${project}/board`;
const errorCode = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;

beforeAll(async () => {
  platform = connect(urls().platform, 2);
  [a, b] = await Promise.all([
    orgs.signUpOrg(platform, 'direct-a'),
    orgs.signUpOrg(platform, 'direct-b'),
  ]);
  viewer = await orgs.addMember(platform, a, 'viewer');
  orgs.actAs(request, a);
  projectA = (await ok<{ id: string }>(createProject({ name: 'Direct board A' }))).id;
  orgs.actAs(request, b);
  projectB = (await ok<{ id: string }>(createProject({ name: 'Direct board B' }))).id;
});

afterAll(async () => {
  await platform.end();
});

describe('the board answered by the server itself', () => {
  it('gives a member and a viewer the board Next.js gives them, private and never stored', async () => {
    for (const who of [ownerOf(a), viewer]) {
      const answer = await both({ host: hostOf(a), pointer: pointerOf(a, who) }, board(projectA));
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).project.name).toBe('Direct board A');
      expect(answer.headers['cache-control']).toBe('private, no-store');
      expect(answer.headers['content-type']).toBe('application/json');
    }
    const query = await both(
      { host: hostOf(a), pointer: pointerOf(a, viewer) },
      `${board(projectA)}?t=1`,
    );
    expect(query.status).toBe(200);
  });

  it('refuses no cookie, a forged one, and a cookie minted for another organization’s host', async () => {
    const none = await both({ host: hostOf(a), pointer: null }, board(projectA));
    expect([none.status, errorCode(none.body)]).toEqual([401, 'unauthenticated']);
    const forged = await both(
      { host: hostOf(a), pointer: null, token: 'eyJhbGciOiJkaXIifQ.forged.x.y.z' },
      board(projectA),
    );
    expect(forged.status).toBe(401);
    // B's owner carries B's cookie to A's host, and asks for A's board and then for B's own.
    for (const project of [projectA, projectB]) {
      const foreign = await both(
        { host: hostOf(a), pointer: pointerOf(b, ownerOf(b)) },
        board(project),
      );
      expect(foreign.status).toBe(401);
    }
  });

  it('never shows another organization’s project, and refuses a malformed id alike', async () => {
    const other = await both(
      { host: hostOf(a), pointer: pointerOf(a, ownerOf(a)) },
      board(projectB),
    );
    expect([other.status, errorCode(other.body)]).toEqual([404, 'not_found']);
    expect(other.body).not.toContain('Direct board B');
    const malformed = await both(
      { host: hostOf(a), pointer: pointerOf(a, ownerOf(a)) },
      board('nope'),
    );
    expect(malformed.status).toBe(404);
    const unknownHost = await both(
      {
        host: `nobody-${randomUUID().slice(0, 6)}.localhost:3000`,
        pointer: pointerOf(a, ownerOf(a)),
      },
      board(projectA),
    );
    expect(unknownHost.status).toBe(401);
  });

  it('refuses a revoked session and a deactivated member on their very next request', async () => {
    const gone = await orgs.addMember(platform, a, 'member');
    const caller = { host: hostOf(a), pointer: pointerOf(a, gone) };
    expect((await both(caller, board(projectA))).status).toBe(200);
    await asSuperuser(
      (su) => su`update sessions set revoked_at = now() where id = ${gone.session.sessionId}`,
    );
    expect((await both(caller, board(projectA))).status).toBe(401);

    const leaving = await orgs.addMember(platform, a, 'member');
    const leaver = { host: hostOf(a), pointer: pointerOf(a, leaving) };
    expect((await both(leaver, board(projectA))).status).toBe(200);
    await asSuperuser(
      (su) =>
        su`update memberships set status = 'deactivated' where tenant_id = ${a.tenantId} and user_id = ${leaving.userId}`,
    );
    expect((await both(leaver, board(projectA))).status).toBe(401);
  });

  it('sends a member without two-factor sign-in to set it up once their organization requires it', async () => {
    const caller = { host: hostOf(b), pointer: pointerOf(b, ownerOf(b)) };
    await asSuperuser(
      (su) => su`update tenants set require_two_factor = true where id = ${b.tenantId}`,
    );
    try {
      const answer = await both(caller, board(projectB));
      expect([answer.status, errorCode(answer.body)]).toEqual([403, 'forbidden']);
      expect(answer.body).toContain('/settings/security');
    } finally {
      await asSuperuser(
        (su) => su`update tenants set require_two_factor = false where id = ${b.tenantId}`,
      );
    }
    expect((await both(caller, board(projectB))).status).toBe(200);
  });

  it('sends a request on an organization’s former address to the same path on its new one', async () => {
    const former = `direct-former-${randomUUID().slice(0, 8)}`;
    await asSuperuser(
      (su) => su`insert into tenant_slug_redirects (slug, target_tenant_id, expires_at)
        values (${former}, ${a.tenantId}, now() + interval '1 day')`,
    );
    const answer = await both(
      { host: `${former}.localhost:3000`, pointer: pointerOf(a, ownerOf(a)) },
      `${board(projectA)}?t=2`,
    );
    expect(answer.status).toBe(308);
    expect(answer.headers.location).toBe(`http://${a.slug}.localhost:3000${board(projectA)}?t=2`);
  });
});
