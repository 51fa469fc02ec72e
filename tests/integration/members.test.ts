import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { asSuperuser, asTenant, connect, type Sql, seedTenant, urls } from '../support/db';
import { asRequest, request } from '../support/fake-request';
import type { Member, Org } from '../support/orgs';
import { totpCode } from '../support/two-factor';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', () => import('../support/fake-request'));
// The realtime calls a change makes once it has committed, recorded (no realtime server runs here).
const disconnected = vi.hoisted(() => [] as string[][]);
vi.mock('@/lib/realtime/pusher', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/realtime/pusher')>()),
  disconnectSessions: async (ids: string[]) => {
    disconnected.push(ids);
  },
}));
request.ip = '203.0.113.41';

const members = await import('@/lib/members/actions');
const { listMembers } = await import('@/lib/members/queries');
const { memberListParamsSchema } = await import('@/lib/members/schemas');
const { LAST_OWNER_MESSAGE } = await import('@/lib/members/guards');
const { memberActionsAllowed } = await import('@/lib/members/allowed');
const session = await import('@/lib/auth/session');
const { withTenant } = await import('@/db/with-tenant');
const { authorizeChannel } = await import('@/lib/realtime/auth');
const { createProject } = await import('@/lib/projects/actions');
const { createTask } = await import('@/lib/tasks/actions');
const { getTaskCardOrThrow } = await import('@/lib/tasks/queries');
const twoFactor = await import('@/lib/two-factor/actions');
const { issueHandoffToken, redeemHandoffToken } = await import('@/lib/auth/handoff');
const orgs = await import('../support/orgs');
const { ok } = orgs;

let platform: Sql;
let app: Sql;

beforeAll(() => {
  platform = connect(urls().platform, 4);
  app = connect(urls().app, 4);
});
afterAll(async () => {
  await platform.end();
  await app.end();
});
beforeEach(() => {
  request.pointer = null;
  disconnected.length = 0;
});

type Team = { org: Org; admin: Member; member: Member; viewer: Member; other: Org };

/** An organization with an owner, an admin, a member and a viewer, and another organization beside it. */
async function team(label: string): Promise<Team> {
  const org = await orgs.signUpOrg(platform, label);
  return {
    org,
    admin: await orgs.addMember(platform, org, 'admin', `Ada ${label}`),
    member: await orgs.addMember(platform, org, 'member', `Mia ${label}`),
    viewer: await orgs.addMember(platform, org, 'viewer', `Vic ${label}`),
    other: await orgs.signUpOrg(platform, `${label}-other`),
  };
}

async function membership(tenantId: string, userId: string) {
  const [row] = await asSuperuser(
    (sql) =>
      sql`select role, status, version from memberships where tenant_id = ${tenantId} and user_id = ${userId}`,
  );
  return row as { role: string; status: string; version: number };
}

const auditOf = (tenantId: string, action: string) =>
  asSuperuser(
    (sql) => sql`
      select actor_user_id, target_id, before, after, metadata from audit_events
      where tenant_id = ${tenantId} and action = ${action} order by created_at`,
  );

const liveSessions = (tenantId: string, userId: string) =>
  asSuperuser(
    (sql) => sql`
      select id from sessions where tenant_id = ${tenantId} and user_id = ${userId} and revoked_at is null`,
  );

/** A second session for an existing member (another browser). */
async function signInAgain(org: Org, userId: string) {
  const token = await withTenant({ tenantId: org.tenantId, userId }, (tx) =>
    issueHandoffToken(tx, org.tenantId, userId),
  );
  return (await redeemHandoffToken(org.tenantId, token, { ip: null, userAgent: null }))!;
}

async function makeOwner(org: Org, m: Member) {
  await asSuperuser(
    (sql) =>
      sql`update memberships set role = 'owner' where tenant_id = ${org.tenantId} and user_id = ${m.userId}`,
  );
}

describe('the members list', () => {
  it('shows everyone in the organization to every role, with what an admin needs, one page at a time', async () => {
    const t = await team('mlist');
    orgs.actAsMember(request, t.org, t.viewer);
    const page = await withTenant({ tenantId: t.org.tenantId, userId: t.viewer.userId }, (tx) =>
      listMembers(tx, t.org.tenantId, memberListParamsSchema.parse({ sort: 'role' })),
    );
    expect(page.items.map((m) => [m.name, m.role])).toEqual([
      ['mlist owner', 'owner'],
      [`Ada mlist`, 'admin'],
      [`Mia mlist`, 'member'],
      [`Vic mlist`, 'viewer'],
    ]);
    const owner = page.items[0]!;
    expect(owner).toMatchObject({
      email: t.org.email,
      status: 'active',
      twoFactor: false,
      version: 1,
    });
    expect(Date.parse(owner.joinedAt)).toBeGreaterThan(Date.now() - 600_000);
    expect(page.nextCursor).toBeNull();
    // Another organization's members never appear.
    expect(page.items.some((m) => m.email === t.other.email)).toBe(false);
  });

  it('searches, filters and sorts, and pages through with cursors that never repeat or skip a row', async () => {
    const org = await orgs.signUpOrg(platform, 'mpage');
    const added: Member[] = [];
    for (let i = 0; i < 30; i++) {
      added.push(
        await orgs.addMember(platform, org, i % 3 ? 'member' : 'viewer', `Person ${100 + i}`),
      );
    }
    const ctx = { tenantId: org.tenantId, userId: org.session.userId };
    const list = (params: Record<string, string | null>) =>
      withTenant(ctx, (tx) => listMembers(tx, org.tenantId, memberListParamsSchema.parse(params)));

    for (const sort of ['name', 'role', 'joined', 'last_active']) {
      for (const direction of ['asc', 'desc']) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await list({ sort, direction, cursor });
          seen.push(...page.items.map((m) => m.userId));
          cursor = page.nextCursor;
        } while (cursor);
        expect(new Set(seen).size, `${sort} ${direction}`).toBe(31);
        expect(seen.length, `${sort} ${direction}`).toBe(31);
      }
    }
    const byName = await list({ sort: 'name', direction: 'desc' });
    expect(byName.items[0]!.name).toBe('Person 129');

    expect((await list({ q: 'person 11' })).items.map((m) => m.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Person ${110 + i}`),
    );
    // By email too, and `%` is a character, not a pattern.
    expect((await list({ q: org.email.toUpperCase() })).items).toHaveLength(1);
    expect((await list({ q: '%' })).items).toHaveLength(0);
    expect((await list({ role: 'viewer' })).items).toHaveLength(10);

    orgs.actAs(request, org);
    const gone = added[0]!;
    await ok(members.removeMember({ userId: gone.userId, version: 1 }));
    expect((await list({ q: 'Person 100' })).items).toHaveLength(0);
    expect((await list({ status: 'removed' })).items.map((m) => m.userId)).toEqual([gone.userId]);

    await expect(list({ cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'invalid' });
  });
});

describe('changing a role', () => {
  it('lets an owner or an admin change members below owner, and audits it with before and after', async () => {
    const t = await team('mrole');
    orgs.actAs(request, t.org);
    const changed = await ok(
      members.changeMemberRole({ userId: t.member.userId, version: 1, role: 'viewer' }),
    );
    expect(changed).toEqual({
      userId: t.member.userId,
      role: 'viewer',
      status: 'active',
      version: 2,
    });
    orgs.actAsMember(request, t.org, t.admin);
    await ok(members.changeMemberRole({ userId: t.viewer.userId, version: 1, role: 'admin' }));
    expect(await membership(t.org.tenantId, t.viewer.userId)).toMatchObject({ role: 'admin' });

    expect(await auditOf(t.org.tenantId, 'member.role_changed')).toEqual([
      {
        actor_user_id: t.org.session.userId,
        target_id: t.member.userId,
        before: { role: 'member' },
        after: { role: 'viewer' },
        metadata: {},
      },
      {
        actor_user_id: t.admin.userId,
        target_id: t.viewer.userId,
        before: { role: 'viewer' },
        after: { role: 'admin' },
        metadata: {},
      },
    ]);
  });

  it('keeps the person signed in and applies their new permissions on their next request', async () => {
    const t = await team('mnext');
    orgs.actAsMember(request, t.org, t.member);
    await expect(session.requirePermission('task:write')).resolves.toBeTruthy();
    orgs.actAs(request, t.org);
    await ok(members.changeMemberRole({ userId: t.member.userId, version: 1, role: 'viewer' }));
    orgs.actAsMember(request, t.org, t.member);
    await expect(session.requirePermission('task:write')).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(await liveSessions(t.org.tenantId, t.member.userId)).toHaveLength(1);
    expect(disconnected).toEqual([]);
  });

  it('refuses whatever the rules refuse, and writes nothing', async () => {
    const t = await team('mdeny');
    const owner = { userId: t.org.session.userId };
    const attempts: [string, () => void, Record<string, unknown>, string][] = [
      [
        'member',
        () => orgs.actAsMember(request, t.org, t.member),
        { userId: t.viewer.userId, role: 'member' },
        'forbidden',
      ],
      [
        'viewer',
        () => orgs.actAsMember(request, t.org, t.viewer),
        { userId: t.member.userId, role: 'viewer' },
        'forbidden',
      ],
      [
        'admin → owner',
        () => orgs.actAsMember(request, t.org, t.admin),
        { ...owner, role: 'admin' },
        'forbidden',
      ],
      [
        'admin → self',
        () => orgs.actAsMember(request, t.org, t.admin),
        { userId: t.admin.userId, role: 'member' },
        'forbidden',
      ],
      ['owner → self', () => orgs.actAs(request, t.org), { ...owner, role: 'admin' }, 'forbidden'],
      [
        'make an owner without the password',
        () => orgs.actAs(request, t.org),
        { userId: t.member.userId, role: 'owner' },
        'invalid',
      ],
      [
        'admin makes an owner',
        () => orgs.actAsMember(request, t.org, t.admin),
        { userId: t.member.userId, role: 'owner' },
        'invalid',
      ],
      [
        'another tenant’s member',
        () => orgs.actAs(request, t.org),
        { userId: t.other.session.userId, role: 'viewer' },
        'not_found',
      ],
      [
        'from another tenant',
        () => orgs.actAs(request, t.other),
        { userId: t.member.userId, role: 'viewer' },
        'not_found',
      ],
      [
        'a stale version',
        () => orgs.actAs(request, t.org),
        { userId: t.member.userId, role: 'viewer', version: 7 },
        'conflict',
      ],
    ];
    for (const [label, actAs, input, code] of attempts) {
      actAs();
      const result = await members.changeMemberRole({ version: 1, ...input } as never);
      expect({ label, result }).toMatchObject({ label, result: { ok: false, error: { code } } });
    }
    const stale = await members.changeMemberRole({
      userId: t.member.userId,
      version: 7,
      role: 'viewer',
    });
    expect(stale).toMatchObject({
      ok: false,
      error: {
        message: expect.stringMatching(/changed while you were looking/),
        current: { version: 1 },
      },
    });
    for (const m of [owner, t.admin, t.member, t.viewer]) {
      expect((await membership(t.org.tenantId, m.userId)).version).toBe(1);
    }
    expect(await auditOf(t.org.tenantId, 'member.role_changed')).toEqual([]);
  });

  it('lets an owner demote another owner, but admins never touch owners', async () => {
    const t = await team('mowners');
    await makeOwner(t.org, t.admin);
    orgs.actAs(request, t.org);
    await ok(members.changeMemberRole({ userId: t.admin.userId, version: 1, role: 'member' }));
    expect(await membership(t.org.tenantId, t.admin.userId)).toMatchObject({ role: 'member' });
  });
});

describe('deactivating, reactivating and removing', () => {
  it('deactivation signs the member out of this organization only, at once, and reactivation lets them back', async () => {
    const t = await team('mdeact');
    // The same person also belongs to another organization, where they stay signed in.
    const elsewhere = await orgs.addMember(platform, t.other, 'member');
    await asSuperuser(
      (sql) =>
        sql`insert into memberships (tenant_id, user_id, role) values (${t.org.tenantId}, ${elsewhere.userId}, 'member')`,
    );
    const here = await signInAgain(t.org, elsewhere.userId);
    const second = await signInAgain(t.org, elsewhere.userId);

    orgs.actAsMember(request, t.org, t.admin);
    const result = await ok(members.deactivateMember({ userId: elsewhere.userId, version: 1 }));
    expect(result).toMatchObject({ status: 'deactivated', version: 2 });
    expect(disconnected).toEqual([expect.arrayContaining([here.sessionId, second.sessionId])]);
    expect(disconnected[0]).toHaveLength(2);
    expect(await liveSessions(t.org.tenantId, elsewhere.userId)).toEqual([]);
    expect(await liveSessions(t.other.tenantId, elsewhere.userId)).toHaveLength(1);

    request.pointer = {
      sessionId: here.sessionId,
      tenantId: t.org.tenantId,
      userId: elsewhere.userId,
    };
    expect(await session.getCurrentMember()).toBeNull();
    expect(await auditOf(t.org.tenantId, 'member.deactivated')).toEqual([
      {
        actor_user_id: t.admin.userId,
        target_id: elsewhere.userId,
        before: { status: 'active' },
        after: { status: 'deactivated' },
        metadata: { sessionsRevoked: 2 },
      },
    ]);

    orgs.actAsMember(request, t.org, t.admin);
    await ok(members.reactivateMember({ userId: elsewhere.userId, version: 2 }));
    // The ended sessions stay ended; a new sign-in works.
    request.pointer = {
      sessionId: here.sessionId,
      tenantId: t.org.tenantId,
      userId: elsewhere.userId,
    };
    expect(await session.getCurrentMember()).toBeNull();
    const again = await signInAgain(t.org, elsewhere.userId);
    request.pointer = {
      sessionId: again.sessionId,
      tenantId: t.org.tenantId,
      userId: elsewhere.userId,
    };
    expect(await session.getCurrentMember()).toMatchObject({ role: 'member' });
  });

  it('removal is a status: the person’s work stays, with their name, and their tasks stay assigned', async () => {
    const t = await team('mremove');
    orgs.actAsMember(request, t.org, t.member);
    const project = await ok(createProject({ name: 'Kept' }));
    const task = await ok(
      createTask({ projectId: project.id, title: 'Theirs', assigneeId: t.member.userId }),
    );
    orgs.actAs(request, t.org);
    await ok(members.removeMember({ userId: t.member.userId, version: 1 }));
    expect(await membership(t.org.tenantId, t.member.userId)).toMatchObject({ status: 'removed' });
    const card = await withTenant(
      { tenantId: t.org.tenantId, userId: t.org.session.userId },
      (tx) => getTaskCardOrThrow(tx, { tenantId: t.org.tenantId, id: task.id }),
    );
    expect(card).toMatchObject({
      assigneeId: t.member.userId,
      assigneeName: 'Mia mremove',
      createdBy: t.member.userId,
    });
    // Nothing more to do to a removed member here: they come back by invitation.
    for (const result of [
      await members.reactivateMember({ userId: t.member.userId, version: 2 }),
      await members.changeMemberRole({ userId: t.member.userId, version: 2, role: 'viewer' }),
      await members.deactivateMember({ userId: t.member.userId, version: 2 }),
    ]) {
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'conflict', message: expect.stringMatching(/Invite them again/) },
      });
    }
  });

  it('is refused to members, viewers, admins acting on owners, and on oneself', async () => {
    const t = await team('mend');
    for (const action of [
      members.deactivateMember,
      members.removeMember,
      members.reactivateMember,
    ]) {
      orgs.actAsMember(request, t.org, t.member);
      expect(await action({ userId: t.viewer.userId, version: 1 })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      orgs.actAsMember(request, t.org, t.viewer);
      expect(await action({ userId: t.member.userId, version: 1 })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      orgs.actAsMember(request, t.org, t.admin);
      expect(await action({ userId: t.org.session.userId, version: 1 })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await action({ userId: t.admin.userId, version: 1 })).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: expect.stringMatching(/Leave organization/) },
      });
      expect(await action({ userId: t.other.session.userId, version: 1 })).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
    }
    expect(disconnected).toEqual([]);
    expect(await liveSessions(t.org.tenantId, t.org.session.userId)).toHaveLength(1);
  });
});

describe('the last active owner', () => {
  it('cannot leave: the database refuses it, with a message, and nothing is written', async () => {
    const t = await team('mlast');
    orgs.actAs(request, t.org);
    expect(await members.leaveOrganization({})).toEqual({
      ok: false,
      error: { code: 'conflict', message: LAST_OWNER_MESSAGE },
    });
    expect(await membership(t.org.tenantId, t.org.session.userId)).toEqual({
      role: 'owner',
      status: 'active',
      version: 1,
    });
    expect(await liveSessions(t.org.tenantId, t.org.session.userId)).toHaveLength(1);
    expect(await auditOf(t.org.tenantId, 'member.left')).toEqual([]);
    expect(disconnected).toEqual([]);
  });

  it('cannot be demoted, deactivated, removed or deleted by any path that reaches the table', async () => {
    const t = await team('mlastdb');
    const me = t.org.session.userId;
    for (const change of [
      sqlChange(`update memberships set role = 'admin' where user_id = $1`),
      sqlChange(`update memberships set status = 'deactivated' where user_id = $1`),
      sqlChange(`update memberships set status = 'removed' where user_id = $1`),
    ]) {
      await expect(asTenant(app, t.org.tenantId, me, (tx) => change(tx, me))).rejects.toMatchObject(
        { code: 'TN409' },
      );
    }
    // Not even the superuser deletes the row.
    await expect(
      asSuperuser(
        (sql) =>
          sql`delete from memberships where tenant_id = ${t.org.tenantId} and user_id = ${me}`,
      ),
    ).rejects.toMatchObject({ code: 'TN409' });
    expect(await membership(t.org.tenantId, me)).toEqual({
      role: 'owner',
      status: 'active',
      version: 1,
    });
  });

  it('leaving is allowed once another active owner exists, and ends this organization’s sessions', async () => {
    const t = await team('mleave');
    await makeOwner(t.org, t.admin);
    orgs.actAs(request, t.org);
    expect(await members.leaveOrganization({})).toEqual({ ok: true, data: { left: true } });
    expect(await membership(t.org.tenantId, t.org.session.userId)).toMatchObject({
      status: 'removed',
    });
    expect(disconnected).toEqual([[t.org.session.sessionId]]);
    expect(await session.getCurrentMember()).toBeNull();
    // The remaining owner is now the last one.
    orgs.actAsMember(request, t.org, t.admin);
    expect(await members.leaveOrganization({})).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it('a member who is not an owner leaves freely', async () => {
    const t = await team('mleave2');
    orgs.actAsMember(request, t.org, t.viewer);
    await ok(members.leaveOrganization({}));
    expect(await membership(t.org.tenantId, t.viewer.userId)).toMatchObject({ status: 'removed' });
    expect(await auditOf(t.org.tenantId, 'member.left')).toMatchObject([
      { before: { status: 'active' }, after: { status: 'removed' } },
    ]);
  });

  it('does not stop a tenant deletion that cascades', async () => {
    // An organization without audit entries (the audit trail is append-only, and keeps its tenant).
    const seeded = await seedTenant(platform, app, 'mcascade');
    await asSuperuser((sql) => sql`delete from tenants where id = ${seeded.tenantId}`);
    expect(
      await asSuperuser(
        (sql) => sql`select 1 from memberships where tenant_id = ${seeded.tenantId}`,
      ),
    ).toHaveLength(0);
  });
});

/** A statement on one's own membership, as the runtime role would run it. */
const sqlChange =
  (statement: string) => (tx: Parameters<Parameters<typeof asTenant>[3]>[0], userId: string) =>
    tx.unsafe(statement, [userId]);

describe('two owners demoting each other at the same moment', () => {
  it('leaves one owner: the second transaction waits for the first, then finds no other owner', async () => {
    const t = await team('mrace');
    await makeOwner(t.org, t.admin);
    const a = t.org.session.userId;
    const b = t.admin.userId;
    const other = connect(urls().app, 1);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let demotedB!: () => void;
    const bDemoted = new Promise<void>((resolve) => {
      demotedB = resolve;
    });
    try {
      // A demotes B and holds its transaction open; B demotes A meanwhile.
      const first = asTenant(app, t.org.tenantId, a, async (tx) => {
        await tx`update memberships set role = 'admin' where tenant_id = ${t.org.tenantId} and user_id = ${b}`;
        demotedB();
        await held;
      });
      await bDemoted;
      const second = asTenant(
        other,
        t.org.tenantId,
        b,
        (tx) =>
          tx`update memberships set role = 'admin' where tenant_id = ${t.org.tenantId} and user_id = ${a}`,
      );
      const secondOutcome = second.then(
        () => 'committed',
        (error: { code?: string }) => error.code,
      );
      // The second is really waiting, on the tenant's lock, while the first is open.
      await expect
        .poll(
          async () =>
            (
              await asSuperuser(
                (sql) =>
                  sql`select count(*)::int as n from pg_stat_activity where wait_event = 'advisory'`,
              )
            )[0]!.n,
          { timeout: 5_000 },
        )
        .toBeGreaterThan(0);
      release();
      await first;
      expect(await secondOutcome).toBe('TN409');
    } finally {
      release();
      await other.end();
    }
    expect((await membership(t.org.tenantId, a)).role).toBe('owner');
    expect((await membership(t.org.tenantId, b)).role).toBe('admin');
  });

  it('as two actions sent at once, again and again, always leaves at least one active owner', async () => {
    for (let round = 0; round < 5; round++) {
      const t = await team(`mrace${round}`);
      await makeOwner(t.org, t.admin);
      const hostA = {
        host: `${t.org.slug}.localhost:3000`,
        pointer: {
          sessionId: t.org.session.sessionId,
          tenantId: t.org.tenantId,
          userId: t.org.session.userId,
        },
      };
      const hostB = {
        host: `${t.org.slug}.localhost:3000`,
        pointer: {
          sessionId: t.admin.session.sessionId,
          tenantId: t.org.tenantId,
          userId: t.admin.userId,
        },
      };
      const results = await Promise.all([
        asRequest(hostA, () =>
          members.changeMemberRole({ userId: t.admin.userId, version: 1, role: 'admin' }),
        ),
        asRequest(hostB, () =>
          members.changeMemberRole({ userId: t.org.session.userId, version: 1, role: 'admin' }),
        ),
      ]);
      const owners = await asSuperuser(
        (sql) =>
          sql`select user_id from memberships where tenant_id = ${t.org.tenantId} and role = 'owner' and status = 'active'`,
      );
      expect(owners).toHaveLength(1);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const refused = results.find((r) => !r.ok) as { error: { code: string } };
      expect(['conflict', 'forbidden']).toContain(refused.error.code);
    }
  });
});

describe('transferring ownership', () => {
  it('needs the owner’s password, makes the member an owner and the owner an admin', async () => {
    const t = await team('mtransfer');
    orgs.actAs(request, t.org);
    expect(
      await members.transferOwnership({
        userId: t.member.userId,
        version: 1,
        password: 'wrong-password-1',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid', fieldErrors: { password: expect.any(String) } },
    });
    expect(await membership(t.org.tenantId, t.member.userId)).toMatchObject({ role: 'member' });

    const result = await ok(
      members.transferOwnership({ userId: t.member.userId, version: 1, password: t.org.password }),
    );
    expect(result).toMatchObject({ promoted: { role: 'owner', version: 2 }, steppedDown: true });
    expect(await membership(t.org.tenantId, t.org.session.userId)).toMatchObject({ role: 'admin' });
    expect(await auditOf(t.org.tenantId, 'ownership.transferred')).toMatchObject([
      {
        target_id: t.member.userId,
        before: { role: 'member' },
        after: { role: 'owner' },
        metadata: { steppedDown: true },
      },
    ]);
    // Now an admin, the former owner can no longer hand ownership over.
    expect(
      await members.transferOwnership({
        userId: t.viewer.userId,
        version: 1,
        password: t.org.password,
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('locks the account after repeated wrong passwords without waiting on its own row lock', async () => {
    const t = await team('mtransfer-lock');
    orgs.actAs(request, t.org);
    // The fifth failure locks the account and mails an unlock link from a transaction of its own, whose
    // token points at the owner's membership: the transfer's lock on memberships must not block that insert.
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const result = await members.transferOwnership({
        userId: t.member.userId,
        version: 1,
        password: 'not-the-password-1',
      });
      outcomes.push(result.ok ? 'ok' : result.error.code);
    }
    expect(outcomes.every((code) => code !== 'ok')).toBe(true);
    expect(await membership(t.org.tenantId, t.member.userId)).toMatchObject({ role: 'member' });
  }, 30_000);

  it('can keep the owner an owner too, and is refused for admins, inactive members and owners', async () => {
    const t = await team('mtransfer2');
    orgs.actAs(request, t.org);
    await ok(
      members.transferOwnership({
        userId: t.admin.userId,
        version: 1,
        password: t.org.password,
        keepOwnership: true,
      }),
    );
    expect(await membership(t.org.tenantId, t.org.session.userId)).toMatchObject({ role: 'owner' });
    expect(
      await members.transferOwnership({
        userId: t.admin.userId,
        version: 2,
        password: t.org.password,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/already an owner/) },
    });
    await ok(members.deactivateMember({ userId: t.member.userId, version: 1 }));
    expect(
      await members.transferOwnership({
        userId: t.member.userId,
        version: 2,
        password: t.org.password,
      }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(
      await members.transferOwnership({
        userId: t.other.session.userId,
        version: 1,
        password: t.org.password,
      }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('what the page offers', () => {
  it('follows the same rules as the actions', () => {
    const owner = { userId: 'o', role: 'owner' as const };
    const admin = { userId: 'a', role: 'admin' as const };
    const target = (
      role: 'owner' | 'admin' | 'member',
      status: 'active' | 'deactivated' | 'removed' = 'active',
    ) => ({ userId: 't', role, status });
    expect(memberActionsAllowed(owner, target('member'))).toEqual({
      roles: ['admin', 'viewer'],
      deactivate: true,
      reactivate: false,
      remove: true,
      transfer: true,
    });
    expect(memberActionsAllowed(admin, target('owner'))).toEqual({
      roles: [],
      deactivate: false,
      reactivate: false,
      remove: false,
      transfer: false,
    });
    expect(memberActionsAllowed(admin, target('admin', 'deactivated'))).toMatchObject({
      reactivate: true,
      deactivate: false,
      transfer: false,
    });
    expect(memberActionsAllowed(owner, target('member', 'removed'))).toMatchObject({
      roles: [],
      remove: false,
      transfer: false,
    });
    expect(memberActionsAllowed(owner, { ...target('owner'), userId: 'o' })).toMatchObject({
      roles: [],
      remove: false,
      transfer: false,
    });
  });
});

describe('realtime', () => {
  it('tells the tenant channel ids, role and status, never an email, and the admins channel the rest', async () => {
    const t = await team('mevents');
    orgs.actAs(request, t.org);
    await ok(members.changeMemberRole({ userId: t.member.userId, version: 1, role: 'viewer' }));
    await ok(members.deactivateMember({ userId: t.viewer.userId, version: 1 }));
    const events = await asSuperuser(
      (sql) => sql`
        select name, audience, payload from outbox_events
        where tenant_id = ${t.org.tenantId} and name like 'member%'`,
    );
    expect(events).toHaveLength(4);
    expect(events).toEqual(
      expect.arrayContaining([
        {
          name: 'member.changed',
          audience: 'tenant',
          payload: { userId: t.member.userId, role: 'viewer', status: 'active', version: 2 },
        },
        {
          name: 'members.changed',
          audience: 'admins',
          payload: { userId: t.member.userId, version: 2 },
        },
        {
          name: 'member.changed',
          audience: 'tenant',
          payload: { userId: t.viewer.userId, role: 'viewer', status: 'deactivated', version: 2 },
        },
        {
          name: 'members.changed',
          audience: 'admins',
          payload: { userId: t.viewer.userId, version: 2 },
        },
      ]),
    );
    expect(JSON.stringify(events)).not.toContain('@');
  });

  it('refuses the admins channel to members and viewers', async () => {
    const t = await team('madmins');
    for (const m of [t.member, t.viewer]) {
      orgs.actAsMember(request, t.org, m);
      await expect(
        authorizeChannel({
          socket_id: '1234.5678',
          channel_name: `private-tenant-${t.org.tenantId}-admins`,
        }),
      ).rejects.toMatchObject({ code: 'forbidden' });
    }
  });

  it('drops the realtime connections of members without two-factor sign-in once an owner requires it', async () => {
    const t = await team('mreq2fa');
    orgs.actAs(request, t.org);
    const started = await ok(twoFactor.startTwoFactorSetup({ password: t.org.password }));
    await ok(twoFactor.confirmTwoFactorSetup({ code: totpCode(started.secret) }));
    const ownerSecond = await signInAgain(t.org, t.org.session.userId);
    disconnected.length = 0;

    await ok(twoFactor.setTwoFactorRequirement({ required: true }));
    expect(disconnected).toHaveLength(1);
    expect([...disconnected[0]!].sort()).toEqual(
      [t.admin.session.sessionId, t.member.session.sessionId, t.viewer.session.sessionId].sort(),
    );
    expect(disconnected[0]).not.toContain(ownerSecond.sessionId);
    // Their next request goes to the set-up page; their sessions themselves stay.
    orgs.actAsMember(request, t.org, t.member);
    await expect(session.requireMemberOrRedirect('/projects')).rejects.toMatchObject({
      digest: expect.stringContaining(';/settings/security;'),
    });
    // Turning it off drops nobody.
    orgs.actAs(request, t.org);
    disconnected.length = 0;
    await ok(twoFactor.setTwoFactorRequirement({ required: false }));
    expect(disconnected).toEqual([[]]);

    // The members list says who has it on.
    const page = await withTenant(
      { tenantId: t.org.tenantId, userId: t.org.session.userId },
      (tx) => listMembers(tx, t.org.tenantId, memberListParamsSchema.parse({ sort: 'role' })),
    );
    expect(page.items.map((m) => m.twoFactor)).toEqual([true, false, false, false]);
    expect(page.items[0]!.lastActiveAt).not.toBeNull();
  });
});
