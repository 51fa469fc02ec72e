import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { asSuperuser, connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import { auditOf, countWrites, lastMailTo, outboxOf } from '../support/invitations';
import type { Org } from '../support/orgs';
import { totpCode, wrongTotpCode } from '../support/two-factor';

// Auth.js's signIn, which here redeems the handoff token as the real provider does (lib/auth/config.ts).
const auth = vi.hoisted(() => ({ signIn: vi.fn() }));
vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', async () => ({
  ...(await import('../support/fake-request')),
  signIn: auth.signIn,
}));

const { revalidatePath } = await import('next/cache');
const { redeemHandoffToken } = await import('@/lib/auth/handoff');
const { getHostTenant } = await import('@/lib/tenant/resolve');
const { inviteMembers, resendInvitation, revokeInvitation } = await import(
  '@/lib/invitations/actions'
);
const { acceptInvitation } = await import('@/lib/invitations/accept');
const { describeInvitationLink } = await import('@/lib/invitations/links');
const { listInvitations } = await import('@/lib/invitations/queries');
const { withTenant } = await import('@/db/with-tenant');
const session = await import('@/lib/auth/session');
const twoFactor = await import('@/lib/two-factor/actions');
const orgs = await import('../support/orgs');

let platform: Sql;
/** Sessions opened by a successful join, in order. */
let signedIn: { tenantId: string; userId: string; sessionId: string }[] = [];

beforeAll(() => {
  platform = connect(urls().platform, 2);
});
afterAll(() => platform.end());
beforeEach(() => {
  request.pointer = null;
  request.host = 'localhost:3000';
  request.ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
  signedIn = [];
  auth.signIn.mockReset();
  auth.signIn.mockImplementation(async (_provider: string, options: { token: string }) => {
    const tenant = await getHostTenant();
    const opened =
      tenant && (await redeemHandoffToken(tenant.id, options.token, { ip: null, userAgent: null }));
    if (!opened) throw new Error('handoff token refused');
    signedIn.push({ tenantId: tenant.id, userId: opened.userId, sessionId: opened.sessionId });
  });
});

const PASSWORD = 'amber-lantern-river-19';
const fresh = (label = 'guest') => `${label}-${randomUUID().slice(0, 8)}@example.test`;

const refused = (code: string, field?: string, message?: RegExp) => ({
  ok: false,
  error: {
    code,
    ...(field
      ? { fieldErrors: { [field]: message ? expect.stringMatching(message) : expect.any(String) } }
      : {}),
  },
});

/** Invites as the owner of `org` and returns the link's token for each address. */
async function invite(
  org: Org,
  emails: string[],
  role: 'owner' | 'admin' | 'member' | 'viewer' = 'member',
) {
  orgs.actAs(request, org);
  await orgs.ok(inviteMembers({ emails: emails.join('\n'), role }));
  const tokens: string[] = [];
  for (const email of emails) {
    tokens.push((await lastMailTo(org.tenantId, email, '/invitations/accept'))!.token!);
  }
  request.pointer = null;
  return tokens;
}

/** Accepting as a signed-out visitor of `org`'s host. */
function accept(org: Org, input: Record<string, string>) {
  request.host = `${org.slug}.localhost:3000`;
  request.pointer = null;
  return acceptInvitation({ token: '', password: '', ...input }).then(
    (data) => ({ ok: true as const, data }),
    (error) => ({
      ok: false as const,
      error: { code: error.code, message: error.message, fieldErrors: error.details?.fieldErrors },
    }),
  );
}

async function membershipOf(tenantId: string, email: string) {
  const [row] = await asSuperuser(
    (sql) => sql`
      select m.role, m.status, u.email_verified_at is not null as verified, u.name
      from memberships m join users u on u.id = m.user_id
      where m.tenant_id = ${tenantId} and lower(u.email) = ${email}`,
  );
  return row ?? null;
}

async function setMembershipStatus(tenantId: string, email: string, status: string) {
  await asSuperuser(
    (sql) => sql`
      update memberships set status = ${status}
      where tenant_id = ${tenantId} and user_id = (select id from users where lower(email) = ${email})`,
  );
}

async function enrollTwoFactor(account: Org) {
  orgs.actAs(request, account);
  const started = await orgs.ok(twoFactor.startTwoFactorSetup({ password: account.password }));
  await orgs.ok(twoFactor.confirmTwoFactorSetup({ code: totpCode(started.secret) }));
  request.pointer = null;
  return started.secret;
}

describe('inviting', () => {
  it('creates one pending invitation per address, mails each its own link, audits and tells admins only', async () => {
    const org = await orgs.signUpOrg(platform, 'inv-basic');
    const [a, b] = [fresh(), fresh()];
    orgs.actAs(request, org);
    const result = await orgs.ok(
      inviteMembers({ emails: `${a.toUpperCase()}, Someone <${b}>`, role: 'viewer' }),
    );
    expect(result.invited.map((i) => i.email)).toEqual([a, b]);
    const rows = await asSuperuser(
      (sql) => sql`
        select email, role, status, send_count, invited_by, expires_at > now() + interval '6 days' as week
        from invitations where tenant_id = ${org.tenantId} order by email`,
    );
    expect(rows).toEqual(
      [a, b].sort().map((email) => ({
        email,
        role: 'viewer',
        status: 'pending',
        send_count: 1,
        invited_by: org.session.userId,
        week: true,
      })),
    );
    const mail = await lastMailTo(org.tenantId, a, '/invitations/accept');
    expect(mail?.url).toMatch(
      new RegExp(`^http://${org.slug}\\.localhost:3000/invitations/accept\\?token=`),
    );
    expect(mail?.text).toContain('as a viewer');
    // One entry per invitation, found by its id like its later resends.
    const audit = await auditOf(org.tenantId, 'invitation.created');
    expect(audit.map((entry) => entry.metadata.email).sort()).toEqual([a, b].sort());
    for (const entry of audit) {
      expect(entry).toMatchObject({
        actor_user_id: org.session.userId,
        target_type: 'invitation',
        target_id: result.invited.find((i) => i.email === entry.metadata.email)!.id,
        metadata: { role: 'viewer', batchSize: 2 },
      });
    }
    const events = (await outboxOf(org.tenantId)).filter((e) => e.name.startsWith('invitation.'));
    expect(events).toHaveLength(2);
    for (const event of events) expect(event.audience).toBe('admins');
    const tenantWide = (await outboxOf(org.tenantId)).filter((e) => e.audience === 'tenant');
    expect(JSON.stringify(tenantWide)).not.toContain(a);
  });

  it('answers a send and a revocation with the invitations page re-rendered, and a refusal with nothing', async () => {
    const org = await orgs.signUpOrg(platform, 'inv-rerender');
    const rerendered = vi.mocked(revalidatePath);
    orgs.actAs(request, org);
    rerendered.mockClear();
    expect(await inviteMembers({ emails: 'not-an-address', role: 'member' })).toMatchObject(
      refused('invalid'),
    );
    expect(rerendered).not.toHaveBeenCalled();
    const { invited } = await orgs.ok(inviteMembers({ emails: fresh(), role: 'member' }));
    expect(rerendered.mock.calls).toEqual([['/settings/invitations']]);
    // Too soon to resend: refused, nothing changed, nothing re-rendered.
    const ref = { id: invited[0]!.id, version: 1 };
    expect(await resendInvitation(ref)).toMatchObject(refused('rate_limited'));
    await orgs.ok(revokeInvitation(ref));
    // The version is stale now: refused as well.
    expect(await revokeInvitation(ref)).toMatchObject({ ok: false });
    expect(rerendered.mock.calls).toEqual([['/settings/invitations'], ['/settings/invitations']]);
  });

  it('proposes nothing it may not: members and viewers cannot invite, admins cannot invite owners', async () => {
    const org = await orgs.signUpOrg(platform, 'inv-roles');
    const people = {
      member: await orgs.addMember(platform, org, 'member'),
      viewer: await orgs.addMember(platform, org, 'viewer'),
      admin: await orgs.addMember(platform, org, 'admin'),
    };
    const before = await countWrites(org.tenantId);
    for (const role of ['member', 'viewer'] as const) {
      orgs.actAsMember(request, org, people[role]);
      expect(await inviteMembers({ emails: fresh(), role: 'viewer' })).toMatchObject(
        refused('forbidden'),
      );
    }
    orgs.actAsMember(request, org, people.admin);
    expect(await inviteMembers({ emails: fresh(), role: 'owner' })).toMatchObject(
      refused('forbidden', 'role', /Only owners can invite owners/),
    );
    const after = await countWrites(org.tenantId);
    expect(after).toEqual(before);
    // An admin may invite admins; an owner may invite owners.
    await orgs.ok(inviteMembers({ emails: fresh(), role: 'admin' }));
    orgs.actAs(request, org);
    await orgs.ok(inviteMembers({ emails: fresh(), role: 'owner' }));
  });

  it('refuses the whole list, naming the address, and creates nothing for any of them', async () => {
    const org = await orgs.signUpOrg(platform, 'inv-refuse');
    const member = await orgs.signUpOrg(platform, 'inv-existing');
    await invite(org, [member.email]);
    await orgs.ok(
      accept(org, {
        token: (await lastMailTo(org.tenantId, member.email, '/invitations/accept'))!.token!,
        password: member.password,
      }),
    );
    const deactivated = await orgs.signUpOrg(platform, 'inv-deact');
    const [token] = await invite(org, [deactivated.email]);
    await orgs.ok(accept(org, { token: token!, password: deactivated.password }));
    await setMembershipStatus(org.tenantId, deactivated.email, 'deactivated');
    const pending = fresh('pending');
    await invite(org, [pending]);

    orgs.actAs(request, org);
    const before = await countWrites(org.tenantId);
    const ok = fresh('fine');
    const cases: [string, RegExp][] = [
      [`${ok}\nnot-an-address`, /“not-an-address” is not a valid email address/],
      [
        Array.from({ length: 51 }, (_, i) => `p${i}-${ok}`).join(','),
        /at most 50 addresses.*has 51/,
      ],
      [`${ok}\n${ok.toUpperCase()}`, new RegExp(`${ok} is in the list twice`)],
      [`${ok}\n${member.email}`, new RegExp(`${member.email} is already a member`)],
      [`${ok}\n${deactivated.email}`, /is a deactivated member. Reactivate them/],
      [`${ok}\n${pending}`, new RegExp(`${pending} already has a pending invitation. Resend it`)],
      ['  ', /Enter at least one email address/],
    ];
    for (const [emails, message] of cases) {
      const result = await inviteMembers({ emails, role: 'member' });
      expect({ emails: emails.slice(0, 40), result }).toMatchObject({
        result: refused(expect.any(String) as never, 'emails', message),
      });
    }
    expect(await countWrites(org.tenantId)).toEqual(before);
    // Exactly 50 is fine.
    await orgs.ok(
      inviteMembers({
        emails: Array.from({ length: 50 }, (_, i) => `p${i}-${ok}`).join(','),
        role: 'member',
      }),
    );
  });

  it('lets a removed member be invited back, and accepting reactivates them with the new role', async () => {
    const org = await orgs.signUpOrg(platform, 'inv-removed');
    const person = await orgs.signUpOrg(platform, 'inv-back');
    const [first] = await invite(org, [person.email], 'admin');
    await orgs.ok(accept(org, { token: first!, password: person.password }));
    await setMembershipStatus(org.tenantId, person.email, 'removed');
    const [second] = await invite(org, [person.email], 'viewer');
    await orgs.ok(accept(org, { token: second!, password: person.password }));
    expect(await membershipOf(org.tenantId, person.email)).toMatchObject({
      role: 'viewer',
      status: 'active',
    });
    expect((await auditOf(org.tenantId, 'invitation.accepted')).at(-1)?.metadata).toMatchObject({
      previousMembership: 'removed',
      role: 'viewer',
    });
  });

  it('caps the invitations an organization sends in a day, counted in the database', async () => {
    const org = await orgs.signUpOrg(platform, 'inv-cap');
    const [token] = await invite(org, [fresh()]);
    expect(token).toBeTruthy();
    // 198 more sends today (as if by other processes), then room for exactly one.
    await asSuperuser(
      (sql) => sql`
        insert into invitation_sends (tenant_id, invitation_id, sent_at)
        select tenant_id, id, now() - interval '1 hour' from invitations, generate_series(1, 198)
        where tenant_id = ${org.tenantId}`,
    );
    orgs.actAs(request, org);
    const before = await countWrites(org.tenantId);
    expect(await inviteMembers({ emails: `${fresh()} ${fresh()}`, role: 'member' })).toMatchObject(
      refused('quota_exceeded', 'emails', /can send 1 more invitation today/),
    );
    expect(await countWrites(org.tenantId)).toEqual(before);
    await orgs.ok(inviteMembers({ emails: fresh(), role: 'member' }));
    expect(await inviteMembers({ emails: fresh(), role: 'member' })).toMatchObject(
      refused('quota_exceeded', 'emails', /sent its 200 invitations for today/),
    );
    // Yesterday's sends no longer count.
    await asSuperuser(
      (sql) =>
        sql`update invitation_sends set sent_at = now() - interval '25 hours' where tenant_id = ${org.tenantId}`,
    );
    await orgs.ok(inviteMembers({ emails: fresh(), role: 'member' }));
  });
});

describe('a role per address', () => {
  type Row = { email: string; role: string };
  const rows = (...pairs: [string, string][]): { invitees: Row[] } => ({
    invitees: pairs.map(([email, role]) => ({ email, role })),
  });

  it('gives each address its own role: the invitation, its mail, its audit entry and its event', async () => {
    const org = await orgs.signUpOrg(platform, 'inv-mixed');
    const [a, b, c] = [fresh('admin'), fresh('viewer'), fresh('member')];
    orgs.actAs(request, org);
    const result = await orgs.ok(
      inviteMembers(rows([a, 'admin'], [` ${b.toUpperCase()} `, 'viewer'], [c, 'member'])),
    );
    expect(result.invited.map(({ email, role }) => [email, role])).toEqual([
      [a, 'admin'],
      [b, 'viewer'],
      [c, 'member'],
    ]);
    const roleOf = new Map([
      [a, 'admin'],
      [b, 'viewer'],
      [c, 'member'],
    ]);
    const stored = await asSuperuser(
      (sql) =>
        sql`select email, role, status from invitations where tenant_id = ${org.tenantId} order by email`,
    );
    expect(stored).toEqual(
      [a, b, c].sort().map((email) => ({ email, role: roleOf.get(email), status: 'pending' })),
    );
    expect((await lastMailTo(org.tenantId, a, '/invitations/accept'))?.text).toContain(
      'as an admin',
    );
    expect((await lastMailTo(org.tenantId, b, '/invitations/accept'))?.text).toContain(
      'as a viewer',
    );
    const audit = await auditOf(org.tenantId, 'invitation.created');
    expect(audit).toHaveLength(3);
    for (const entry of audit) {
      expect(entry.metadata).toMatchObject({
        role: roleOf.get(entry.metadata.email),
        batchSize: 3,
      });
    }
    const events = (await outboxOf(org.tenantId)).filter((e) => e.name === 'invitation.created');
    expect(events.map((e) => [e.payload.email, e.payload.role, e.audience]).sort()).toEqual(
      [a, b, c].sort().map((email) => [email, roleOf.get(email), 'admins']),
    );
    // Accepting gives the role of that person's own invitation.
    const token = (await lastMailTo(org.tenantId, a, '/invitations/accept'))!.token!;
    await orgs.ok(accept(org, { token, name: 'Ada Admin', password: PASSWORD, confirm: PASSWORD }));
    expect(await membershipOf(org.tenantId, a)).toMatchObject({ role: 'admin', status: 'active' });
  });

  it('refuses an admin’s owner row by its address, and invites none of the batch', async () => {
    const org = await orgs.signUpOrg(platform, 'inv-row-owner');
    const admin = await orgs.addMember(platform, org, 'admin');
    orgs.actAsMember(request, org, admin);
    const before = await countWrites(org.tenantId);
    const boss = fresh('boss');
    const result = await inviteMembers(
      rows([fresh(), 'member'], [boss, 'owner'], [fresh(), 'viewer']),
    );
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: expect.stringMatching(/Nobody was invited/),
        fieldErrors: {
          'invitees.1.role': `Only owners can invite owners. Choose admin, member or viewer for ${boss}.`,
        },
      },
    });
    expect(Object.keys((result as { error: { fieldErrors: object } }).error.fieldErrors)).toEqual([
      'invitees.1.role',
    ]);
    expect(await countWrites(org.tenantId)).toEqual(before);
    expect(await auditOf(org.tenantId, 'invitation.created')).toEqual([]);
  });

  it('names every refused row at once, on its own field, and invites nobody', async () => {
    const org = await orgs.signUpOrg(platform, 'inv-rows');
    const member = await orgs.addMember(platform, org, 'member');
    const [{ email: memberEmail }] = (await asSuperuser(
      (sql) => sql`select email from users where id = ${member.userId}`,
    )) as unknown as [{ email: string }];
    const pending = fresh('pending');
    await invite(org, [pending]);
    orgs.actAs(request, org);
    const before = await countWrites(org.tenantId);
    const ok = fresh('fine');
    // Refused before any lookup: the address's form, a repeat, an unknown role, a blank row.
    expect(
      await inviteMembers(
        rows(
          [ok, 'member'],
          ['not-an-address', 'member'],
          [ok.toUpperCase(), 'viewer'],
          [fresh(), 'superuser'],
          ['', 'member'],
        ),
      ),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'invalid',
        fieldErrors: {
          'invitees.1.email': '“not-an-address” is not a valid email address.',
          'invitees.2.email': `${ok} is in the list twice.`,
          'invitees.3.role': 'Choose owner, admin, member or viewer.',
          'invitees.4.email': 'Enter an email address, or remove this row.',
        },
      },
    });
    // Refused once looked up: a member, a pending invitation.
    const result = await inviteMembers(
      rows([ok, 'member'], [memberEmail, 'viewer'], [pending, 'admin']),
    );
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: '2 addresses cannot be invited as they are. Nobody was invited.',
        fieldErrors: {
          'invitees.1.email': `${memberEmail} is already a member.`,
          'invitees.2.email': expect.stringMatching(`${pending} already has a pending invitation`),
        },
      },
    });
    expect(await countWrites(org.tenantId)).toEqual(before);
  });

  it('refuses a 51st row, and an empty list, on the list itself', async () => {
    const org = await orgs.signUpOrg(platform, 'inv-rows-51');
    orgs.actAs(request, org);
    const before = await countWrites(org.tenantId);
    const many = Array.from({ length: 51 }, (_, i): [string, string] => [fresh(`r${i}`), 'viewer']);
    expect(await inviteMembers(rows(...many))).toMatchObject(
      refused('invalid', 'invitees', /at most 50 addresses.*has 51/),
    );
    expect(await inviteMembers(rows())).toMatchObject(
      refused('invalid', 'invitees', /Enter at least one email address/),
    );
    expect(await countWrites(org.tenantId)).toEqual(before);
    await orgs.ok(inviteMembers(rows(...many.slice(1))));
    expect(await countWrites(org.tenantId)).toMatchObject({ invitations: 50, sends: 50 });
  });
});

describe('resending and revoking', () => {
  async function pendingOf(org: Org, email: string) {
    const [row] = await asSuperuser(
      (sql) =>
        sql`select id, version, send_count from invitations where tenant_id = ${org.tenantId} and email = ${email} and status = 'pending'`,
    );
    return row as { id: string; version: number; send_count: number };
  }
  const backdateSends = (org: Org, by: string) =>
    asSuperuser(
      (sql) =>
        sql`update invitation_sends set sent_at = sent_at - ${by}::interval where tenant_id = ${org.tenantId}`,
    );

  it('resends with a new link that replaces the old one, at most once a minute and 5 times a day', async () => {
    const org = await orgs.signUpOrg(platform, 'inv-resend');
    const email = fresh();
    const [oldToken] = await invite(org, [email]);
    orgs.actAs(request, org);
    let row = await pendingOf(org, email);
    expect(await resendInvitation({ id: row.id, version: row.version })).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', message: expect.stringMatching(/just sent.*seconds/) },
    });
    await backdateSends(org, '2 minutes');
    const resent = await orgs.ok(resendInvitation({ id: row.id, version: row.version }));
    expect(resent.version).toBe(row.version + 1);
    // The same version again is stale: a 409, not a second mail.
    expect(await resendInvitation({ id: row.id, version: row.version })).toMatchObject(
      refused('conflict'),
    );
    const newToken = (await lastMailTo(org.tenantId, email, '/invitations/accept'))!.token!;
    expect(newToken).not.toBe(oldToken);
    expect(await describeInvitationLink({ id: org.tenantId, name: 'x' }, oldToken!)).toMatchObject({
      state: 'replaced',
    });
    expect(await describeInvitationLink({ id: org.tenantId, name: 'x' }, newToken)).toMatchObject({
      state: 'live',
      email,
    });
    for (let sends = 2; sends < 5; sends++) {
      await backdateSends(org, '2 minutes');
      row = await pendingOf(org, email);
      await orgs.ok(resendInvitation({ id: row.id, version: row.version }));
    }
    await backdateSends(org, '2 minutes');
    row = await pendingOf(org, email);
    expect(row.send_count).toBe(5);
    expect(await resendInvitation({ id: row.id, version: row.version })).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', message: expect.stringMatching(/already sent 5 times today/) },
    });
    expect((await auditOf(org.tenantId, 'invitation.resent')).length).toBe(4);
  });

  it('revokes: the link stops working at once, the change is audited, and only admins of this organization may', async () => {
    const org = await orgs.signUpOrg(platform, 'inv-revoke');
    const other = await orgs.signUpOrg(platform, 'inv-revoke-other');
    const email = fresh();
    const [token] = await invite(org, [email]);
    const row = await pendingOf(org, email);
    // Another organization's owner does not even see it.
    orgs.actAs(request, other);
    expect(await revokeInvitation({ id: row.id, version: row.version })).toMatchObject(
      refused('not_found'),
    );
    const member = await orgs.addMember(platform, org, 'member');
    orgs.actAsMember(request, org, member);
    expect(await revokeInvitation({ id: row.id, version: row.version })).toMatchObject(
      refused('forbidden'),
    );
    orgs.actAs(request, org);
    await orgs.ok(revokeInvitation({ id: row.id, version: row.version }));
    expect(await revokeInvitation({ id: row.id, version: row.version + 1 })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'This invitation was revoked.' },
    });
    expect(await auditOf(org.tenantId, 'invitation.revoked')).toEqual([
      expect.objectContaining({ before: { status: 'pending' }, after: { status: 'revoked' } }),
    ]);
    const before = await countWrites(org.tenantId);
    expect(await accept(org, { token: token!, name: 'Late', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: expect.stringMatching(/was revoked/) },
    });
    expect(await countWrites(org.tenantId)).toEqual(before);
  });

  it('keeps admins away from owner invitations', async () => {
    const org = await orgs.signUpOrg(platform, 'inv-owner-inv');
    const email = fresh();
    await invite(org, [email], 'owner');
    const row = await pendingOf(org, email);
    const admin = await orgs.addMember(platform, org, 'admin');
    orgs.actAsMember(request, org, admin);
    expect(await revokeInvitation({ id: row.id, version: row.version })).toMatchObject(
      refused('forbidden'),
    );
    await backdateSends(org, '2 minutes');
    expect(await resendInvitation({ id: row.id, version: row.version })).toMatchObject(
      refused('forbidden'),
    );
  });
});

describe('accepting', () => {
  it('a new person chooses a name and password, joins with the role, verified, and is signed in', async () => {
    const org = await orgs.signUpOrg(platform, 'acc-new');
    const email = fresh('new');
    const [token] = await invite(org, [email], 'admin');
    expect(await describeInvitationLink({ id: org.tenantId, name: 'x' }, token!)).toMatchObject({
      state: 'live',
      email,
      role: 'admin',
      inviterName: 'acc-new owner',
      hasAccount: false,
    });
    const before = await countWrites(org.tenantId, email);
    expect(await accept(org, { token: token!, name: '', password: PASSWORD })).toMatchObject(
      refused('invalid', 'name'),
    );
    expect(await accept(org, { token: token!, name: 'Nia', password: 'short' })).toMatchObject(
      refused('invalid', 'password', /at least 12/),
    );
    expect(
      await accept(org, { token: token!, name: 'Nia', password: PASSWORD, confirm: 'other' }),
    ).toMatchObject(refused('invalid', 'confirm'));
    expect(await countWrites(org.tenantId, email)).toEqual(before);

    expect(
      await accept(org, { token: token!, name: 'Nia', password: PASSWORD, confirm: PASSWORD }),
    ).toEqual({
      ok: true,
      data: { redirectTo: '/' },
    });
    expect(await membershipOf(org.tenantId, email)).toEqual({
      role: 'admin',
      status: 'active',
      verified: true,
      name: 'Nia',
    });
    expect(signedIn).toHaveLength(1);
    expect(signedIn[0]!.tenantId).toBe(org.tenantId);
    const [invitation] = await asSuperuser(
      (sql) =>
        sql`select status, accepted_by from invitations where tenant_id = ${org.tenantId} and email = ${email}`,
    );
    expect(invitation).toEqual({ status: 'accepted', accepted_by: signedIn[0]!.userId });
    expect(await auditOf(org.tenantId, 'invitation.accepted')).toEqual([
      expect.objectContaining({
        actor_user_id: signedIn[0]!.userId,
        metadata: expect.objectContaining({ email, role: 'admin', newAccount: true }),
      }),
    ]);
    const events = await outboxOf(org.tenantId);
    expect(events.find((e) => e.name === 'invitation.accepted')).toMatchObject({
      audience: 'admins',
    });
    expect(events.find((e) => e.name === 'member.joined')).toEqual({
      name: 'member.joined',
      audience: 'tenant',
      payload: { userId: signedIn[0]!.userId, role: 'admin' },
    });
    // Used: the same link again is a clear page, and changes nothing.
    const after = await countWrites(org.tenantId);
    expect(await describeInvitationLink({ id: org.tenantId, name: 'x' }, token!)).toMatchObject({
      state: 'accepted',
    });
    expect(await accept(org, { token: token!, name: 'Again', password: PASSWORD })).toMatchObject(
      refused('not_found'),
    );
    expect(await countWrites(org.tenantId)).toEqual(after);
  });

  it('an existing account signs in with its password, and its email becomes verified', async () => {
    const org = await orgs.signUpOrg(platform, 'acc-existing');
    const person = await orgs.signUpOrg(platform, 'acc-person');
    const [token] = await invite(org, [person.email], 'member');
    expect(await describeInvitationLink({ id: org.tenantId, name: 'x' }, token!)).toMatchObject({
      hasAccount: true,
    });
    const before = await countWrites(org.tenantId);
    expect(await accept(org, { token: token!, password: 'wrong-password-123' })).toMatchObject(
      refused('invalid', 'password', /not the password of the account/),
    );
    expect(await countWrites(org.tenantId)).toEqual(before);
    await orgs.ok(accept(org, { token: token!, password: person.password }));
    expect(await membershipOf(org.tenantId, person.email)).toMatchObject({
      role: 'member',
      status: 'active',
      verified: true,
      name: 'acc-person owner',
    });
    expect(signedIn.map((s) => s.userId)).toEqual([person.session.userId]);
  });

  it('asks an account with two-factor sign-in for its code before anything happens', async () => {
    const org = await orgs.signUpOrg(platform, 'acc-2fa');
    const person = await orgs.signUpOrg(platform, 'acc-2fa-person');
    const secret = await enrollTwoFactor(person);
    const [token] = await invite(org, [person.email]);
    const before = await countWrites(org.tenantId);
    expect(await accept(org, { token: token!, password: person.password })).toEqual({
      ok: true,
      data: { secondFactor: true },
    });
    expect(
      await accept(org, { token: token!, password: person.password, code: wrongTotpCode(secret) }),
    ).toMatchObject(refused('invalid', 'code'));
    // Nothing changed, and the link still works.
    expect(await countWrites(org.tenantId)).toEqual(before);
    expect(signedIn).toEqual([]);
    // A wrong password with a right code is still a wrong password.
    expect(
      await accept(org, { token: token!, password: 'wrong-password-123', code: totpCode(secret) }),
    ).toMatchObject(refused('invalid', 'password'));
    // The enrollment spent this step's code: the next step's is within the allowed drift.
    await orgs.ok(
      accept(org, { token: token!, password: person.password, code: totpCode(secret, 1) }),
    );
    expect(await membershipOf(org.tenantId, person.email)).toMatchObject({ status: 'active' });
    expect(signedIn).toHaveLength(1);
  });

  it('joins someone without two-factor sign-in to an organization that requires it, then sends them to set it up', async () => {
    const org = await orgs.signUpOrg(platform, 'acc-req');
    await enrollTwoFactor(org);
    orgs.actAs(request, org);
    await orgs.ok(twoFactor.setTwoFactorRequirement({ required: true }));
    const email = fresh();
    const [token] = await invite(org, [email]);
    await orgs.ok(accept(org, { token: token!, name: 'Sam', password: PASSWORD }));
    const opened = signedIn[0]!;
    request.pointer = opened;
    await expect(session.requirePermission('project:read')).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/requires two-factor authentication/),
    });
    await expect(session.requirePermission('account:manage')).resolves.toMatchObject({
      role: 'member',
    });
  });

  it('refuses expired and other-host links with a clear message, and creates nothing', async () => {
    const org = await orgs.signUpOrg(platform, 'acc-dead');
    const other = await orgs.signUpOrg(platform, 'acc-dead-other');
    const email = fresh();
    const [token] = await invite(org, [email]);
    const before = await countWrites(org.tenantId, email);
    const otherBefore = await countWrites(other.tenantId, email);
    expect(await accept(other, { token: token!, name: 'X', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: expect.stringMatching(/not valid for acc-dead-other/) },
    });
    expect(
      await accept(org, { token: 'x'.repeat(43), name: 'X', password: PASSWORD }),
    ).toMatchObject(refused('not_found'));
    await asSuperuser(
      (sql) =>
        sql`update invitations set expires_at = now() - interval '1 minute' where tenant_id = ${org.tenantId}`,
    );
    expect(await accept(org, { token: token!, name: 'X', password: PASSWORD })).toMatchObject({
      ok: false,
      error: {
        code: 'not_found',
        message: expect.stringMatching(/has expired. Ask acc-dead owner/),
      },
    });
    expect(await countWrites(org.tenantId, email)).toEqual(before);
    expect(await countWrites(other.tenantId, email)).toEqual(otherBefore);
    // An expired invitation does not block a new one for the address; the old one is marked expired.
    orgs.actAs(request, org);
    await orgs.ok(inviteMembers({ emails: email, role: 'member' }));
    const statuses = await asSuperuser(
      (sql) =>
        sql`select status from invitations where tenant_id = ${org.tenantId} and email = ${email} order by created_at`,
    );
    expect(statuses.map((s) => s.status)).toEqual(['expired', 'pending']);
  });

  it('tells someone signed in as another address so, and changes nothing', async () => {
    const org = await orgs.signUpOrg(platform, 'acc-other');
    const email = fresh();
    const [token] = await invite(org, [email]);
    const before = await countWrites(org.tenantId);
    orgs.actAs(request, org);
    await expect(
      acceptInvitation({ token: token!, name: 'X', password: PASSWORD }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(
        new RegExp(`signed in as ${org.email}, but this link is for ${email}`),
      ),
    });
    expect(await countWrites(org.tenantId)).toEqual(before);
  });

  it('spends a link once when two people use it at the same moment', async () => {
    const org = await orgs.signUpOrg(platform, 'acc-race');
    const email = fresh();
    const [token] = await invite(org, [email]);
    const results = await Promise.all(
      [1, 2, 3].map(() => accept(org, { token: token!, name: 'Racer', password: PASSWORD })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok)) {
      expect(['not_found', 'conflict']).toContain((r as { error: { code: string } }).error.code);
    }
    const [users] = await asSuperuser(
      (sql) => sql`select count(*)::int as n from users where lower(email) = ${email}`,
    );
    expect(users!.n).toBe(1);
    expect(await membershipOf(org.tenantId, email)).toMatchObject({ status: 'active' });
    expect(signedIn).toHaveLength(1);
  });
});

describe('the invitation mail', () => {
  it('quotes markup in the organization and inviter names as plain text, one line, with no HTML part', async () => {
    const org = await orgs.signUpOrg(platform, 'mail-names');
    await asSuperuser(async (sql) => {
      await sql`update tenants set name = ${'<b>Acme</b>\nClick https://evil.example'} where id = ${org.tenantId}`;
      await sql`update users set name = ${'<img src=x onerror=alert(1)>'} where id = ${org.session.userId}`;
    });
    // Before any request on its host, so the host lookup (cached for seconds) reads the new name.
    const email = fresh();
    await invite(org, [email]);
    const mail = (await lastMailTo(org.tenantId, email, '/invitations/accept'))!;
    expect(mail.html).toBeUndefined();
    expect(mail.subject).toBe(
      'You are invited to join <b>Acme</b> Click https://evil.example on Tenantry',
    );
    expect(mail.text).toContain('<img src=x onerror=alert(1)> invited');
    expect(mail.text).toContain('“<b>Acme</b> Click https://evil.example”');
    expect(mail.text.split('\n').filter((l) => l.includes('Click'))).toHaveLength(1);
  });
});

describe('the invitations list', () => {
  it('filters, searches and pages by keyset in both directions', async () => {
    const org = await orgs.signUpOrg(platform, 'inv-list');
    const emails = Array.from(
      { length: 30 },
      (_, i) => `list${String(i).padStart(2, '0')}-${randomUUID().slice(0, 4)}@example.test`,
    );
    await invite(org, emails);
    const list = (p: Partial<Parameters<typeof listInvitations>[2]>) =>
      withTenant({ tenantId: org.tenantId, userId: org.session.userId }, (tx) =>
        listInvitations(tx, org.tenantId, {
          filter: 'pending',
          search: '',
          sort: 'email',
          direction: 'asc',
          cursor: null,
          ...p,
        }),
      );
    const first = await list({});
    expect(first.items).toHaveLength(25);
    const second = await list({ cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((i) => i.email)).toEqual([...emails].sort());
    expect(second.nextCursor).toBeNull();
    const newest = await list({ sort: 'sent', direction: 'desc' });
    const rest = await list({ sort: 'sent', direction: 'desc', cursor: newest.nextCursor });
    expect(new Set([...newest.items, ...rest.items].map((i) => i.id)).size).toBe(30);
    expect((await list({ search: 'list07' })).items.map((i) => i.email)).toEqual([emails[7]]);
    expect((await list({ search: '%' })).items).toEqual([]);
    expect((await list({ filter: 'revoked' })).items).toEqual([]);
    await expect(list({ cursor: 'bm9wZQ' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(
      list({
        cursor: Buffer.from(JSON.stringify(['yesterday', randomUUID()])).toString('base64url'),
        sort: 'sent',
      }),
    ).rejects.toMatchObject({ code: 'invalid' });
  });
});
