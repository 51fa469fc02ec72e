import { encode } from 'next-auth/jwt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { asTenant, connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import type { Org } from '../support/orgs';

// The real cookie path: the session token as the browser sends it, decrypted by the app itself.
vi.mock('next/headers', () => import('../support/fake-request'));
request.ip = '203.0.113.41';

const { getSessionPointer } = await import('@/lib/auth/auth');
const { getCurrentMember } = await import('@/lib/auth/session');
const { sessionCookieName } = await import('@/lib/auth/session-token');
const { getEnv } = await import('@/lib/config/env');
const orgs = await import('../support/orgs');

let platform: Sql;
let app: Sql;
let org: Org;
const cookieName = () => sessionCookieName(getEnv());

/** A session token minted with the app's secret and cookie name, as Auth.js would set it. */
async function mint(org: Org, maxAge: number) {
  return encode({
    token: { sid: org.session.sessionId, tid: org.tenantId, sub: org.session.userId },
    secret: getEnv().authSecret,
    salt: cookieName(),
    maxAge,
  });
}

function sendCookie(value: string) {
  request.host = `${org.slug}.localhost:3000`;
  request.cookies = new Map([[cookieName(), value]]);
}

beforeAll(async () => {
  platform = connect(urls().platform, 2);
  app = connect(urls().app, 2);
  org = await orgs.signUpOrg(platform, 'pointer');
});
afterAll(async () => {
  await platform.end();
  await app.end();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the session cookie', () => {
  it('is read from a valid token, and refused when altered or signed with another secret', async () => {
    const token = await mint(org, 3600);
    sendCookie(token);
    expect(await getSessionPointer()).toEqual({
      sessionId: org.session.sessionId,
      tenantId: org.tenantId,
      userId: org.session.userId,
    });
    // Twice: the second read comes from the decoded tokens this process keeps; it must be the same.
    expect((await getSessionPointer())?.sessionId).toBe(org.session.sessionId);
    const altered = `${token.slice(0, -6)}${token.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`;
    sendCookie(altered);
    expect(await getSessionPointer()).toBeNull();
    sendCookie(
      await encode({
        token: { sid: org.session.sessionId, tid: org.tenantId, sub: org.session.userId },
        secret: 'another-secret-another-secret-another-0',
        salt: cookieName(),
      }),
    );
    expect(await getSessionPointer()).toBeNull();
  });

  it('is refused once the token expires, even after this process decoded it', async () => {
    const token = await mint(org, 60);
    sendCookie(token);
    expect(await getSessionPointer()).not.toBeNull();
    vi.useFakeTimers({ toFake: ['Date'] });
    // Past the expiry and past the 15 seconds of clock tolerance Auth.js allows.
    vi.setSystemTime(Date.now() + 90_000);
    expect(await getSessionPointer()).toBeNull();
  });
});

describe('the session check', () => {
  const lastSeen = async () => {
    const [row] = await asTenant(
      app,
      org.tenantId,
      org.session.userId,
      (tx) => tx`select extract(epoch from now() - last_seen_at)::int as ago
        from sessions where id = ${org.session.sessionId}`,
    );
    return row!.ago as number;
  };
  const seenAgo = (interval: string) =>
    asTenant(
      app,
      org.tenantId,
      org.session.userId,
      (tx) => tx`update sessions set last_seen_at = now() - ${interval}::interval
        where id = ${org.session.sessionId}`,
    );

  it('records activity at most once a minute', async () => {
    sendCookie(await mint(org, 3600));
    await seenAgo('30 seconds');
    expect(await getCurrentMember()).not.toBeNull();
    expect(await lastSeen()).toBeGreaterThanOrEqual(29);
    await seenAgo('2 minutes');
    const member = await getCurrentMember();
    expect(member).toMatchObject({ userId: org.session.userId, role: 'owner' });
    expect(member?.revision).toMatch(/^\d+$/);
    expect(await lastSeen()).toBeLessThan(5);
  });

  it('does not wait for a session row another request is writing: it leaves the activity to that one', async () => {
    sendCookie(await mint(org, 3600));
    await seenAgo('2 minutes');
    // Another request's transaction holds the session row (as a concurrent activity update would, until
    // its commit is flushed to disk).
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = asTenant(app, org.tenantId, org.session.userId, async (tx) => {
      await tx`select id from sessions where id = ${org.session.sessionId} for update`;
      locked();
      await released;
    });
    await isLocked;
    try {
      const check = getCurrentMember();
      const outcome = await Promise.race([
        check.then((member) => member?.userId),
        new Promise((r) => setTimeout(() => r('waited for the lock'), 3_000)),
      ]);
      expect(outcome).toBe(org.session.userId);
    } finally {
      release();
      await holder;
    }
    // Left to the holder: the row was not touched by the check that skipped it.
    expect(await lastSeen()).toBeGreaterThanOrEqual(119);
    expect(await getCurrentMember()).not.toBeNull();
    expect(await lastSeen()).toBeLessThan(5);
  });

  it('ends a session idle for more than seven days, and does not revive it', async () => {
    sendCookie(await mint(org, 3600));
    await seenAgo('8 days');
    expect(await getCurrentMember()).toBeNull();
    expect(await lastSeen()).toBeGreaterThan(7 * 86_400);
  });
});
