import type postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { asSuperuser, asTenant, connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import type { Org } from '../support/orgs';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', () => import('../support/fake-request'));
request.ip = '203.0.113.74';

const { deleteAccount } = await import('@/lib/account/delete-account');
const { changeName } = await import('@/lib/account/settings-actions');
const session = await import('@/lib/auth/session');
const { displayName } = await import('@/lib/text/names');
const { withTenant } = await import('@/db/with-tenant');
const { issueHandoffToken, redeemHandoffToken } = await import('@/lib/auth/handoff');
const orgs = await import('../support/orgs');

let platform: Sql;
let app: Sql;

beforeAll(() => {
  platform = connect(urls().platform, 2);
  app = connect(urls().app, 2);
});
afterAll(() => Promise.all([platform.end(), app.end()]));
beforeEach(() => {
  request.host = 'localhost:3000';
  request.pointer = null;
});

/** Makes `person` (the owner of their own organization) a member of `org` with `role`, signed in there. */
async function join(org: Org, person: Org, role: 'owner' | 'member'): Promise<Org> {
  await asSuperuser(
    (sql) =>
      sql`insert into memberships (tenant_id, user_id, role) values (${org.tenantId}, ${person.session.userId}, ${role})`,
  );
  const token = await withTenant({ tenantId: org.tenantId, userId: null }, (tx) =>
    issueHandoffToken(tx, org.tenantId, person.session.userId),
  );
  const signedIn = await redeemHandoffToken(org.tenantId, token, { ip: null, userAgent: null });
  return { ...org, email: person.email, password: person.password, session: signedIn! };
}

const userRow = async (id: string) =>
  (
    await asSuperuser(
      (sql) =>
        sql`select name, email, password_hash, status, deleted_at, email_verified_at from users where id = ${id}`,
    )
  )[0]!;

describe('your account', () => {
  it('changes your name, everywhere, with the change audited', async () => {
    const org = await orgs.signUpOrg(platform, 'acct-name');
    orgs.actAs(request, org);
    expect(await changeName({ name: '  Ada Lovelace ' })).toEqual({
      ok: true,
      data: { name: 'Ada Lovelace' },
    });
    expect((await session.getCurrentMember())?.name).toBe('Ada Lovelace');
    for (const name of ['', 'x'.repeat(61), 'Evil\u202eName', 'see https://evil.example']) {
      expect(await changeName({ name })).toMatchObject({
        ok: false,
        error: { fieldErrors: { name: expect.any(String) } },
      });
    }
    const [audit] = await asSuperuser(
      (sql) =>
        sql`select before, after from audit_events where tenant_id = ${org.tenantId} and action = 'account.renamed'`,
    );
    expect(audit).toEqual({ before: { name: 'acct-name owner' }, after: { name: 'Ada Lovelace' } });
  });

  it('is not deleted while you are the last owner of any organization, nor with a wrong password', async () => {
    const mine = await orgs.signUpOrg(platform, 'acct-last');
    const theirs = await orgs.signUpOrg(platform, 'acct-theirs');
    // A co-owner elsewhere does not help with this organization, which has none.
    await join(theirs, mine, 'owner');
    orgs.actAs(request, mine);
    // Said before the password is asked for, so the refusal spends no attempt towards the account's lock.
    expect(await deleteAccount({ password: 'not-my-password-1' })).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message:
          'You are the last owner of acct-last. Make another member an owner there first, then delete your account.',
      },
    });
    const failures = () =>
      asSuperuser(
        (sql) =>
          sql`select 1 from audit_events where tenant_id = ${mine.tenantId} and action = 'user.reauthentication_failed'`,
      );
    expect(await failures()).toHaveLength(0);
    await join(mine, theirs, 'owner');
    expect(await deleteAccount({ password: 'not-my-password-1' })).toMatchObject({
      ok: false,
      error: { code: 'invalid', fieldErrors: { password: 'This is not your current password.' } },
    });
    expect(await failures()).toHaveLength(1);
    expect((await userRow(mine.session.userId)).status).toBe('active');
    expect(await session.getCurrentMember()).not.toBeNull();
  });

  it('removes you everywhere, ends every session and erases you, keeping the audit trail’s id', async () => {
    const org = await orgs.signUpOrg(platform, 'acct-del');
    const elsewhere = await orgs.signUpOrg(platform, 'acct-elsewhere');
    const person = await orgs.signUpOrg(platform, 'acct-person');
    // The person co-owns their own organization with its first owner, and is a member of two others.
    await join(person, elsewhere, 'owner');
    const inOrg = await join(org, person, 'member');
    const inElsewhere = await join(elsewhere, person, 'member');
    await asSuperuser(
      (sql) => sql`update users set email_verified_at = now() where id = ${person.session.userId}`,
    );
    orgs.actAs(request, inOrg);
    expect(await deleteAccount({ password: person.password })).toEqual({
      ok: true,
      data: { deleted: true },
    });

    const user = await userRow(person.session.userId);
    expect(user).toMatchObject({
      name: '',
      email: `deleted-${person.session.userId}@deleted.invalid`,
      password_hash: '!deleted',
      status: 'deleted',
      email_verified_at: null,
    });
    expect(user.deleted_at).not.toBeNull();
    expect(displayName({ name: user.name, status: user.status })).toBe('Deleted user');
    const memberships = await asSuperuser(
      (sql) => sql`select status from memberships where user_id = ${person.session.userId}`,
    );
    expect(memberships.map((m) => m.status)).toEqual(['removed', 'removed', 'removed']);
    const live = await asSuperuser(
      (sql) =>
        sql`select id from sessions where user_id = ${person.session.userId} and revoked_at is null`,
    );
    expect(live).toEqual([]);
    for (const signedIn of [inOrg, inElsewhere, person]) {
      orgs.actAs(request, signedIn);
      expect(await session.getCurrentMember()).toBeNull();
    }
    // Each organization's trail says so, with the person's id as the actor.
    const audit = await asSuperuser(
      (sql) =>
        sql`select tenant_id, actor_user_id from audit_events
            where action = 'account.deleted' and target_id = ${person.session.userId}`,
    );
    expect(audit.map((a) => a.tenant_id).sort()).toEqual(
      [org.tenantId, elsewhere.tenantId, person.tenantId].sort(),
    );
    expect(audit.every((a) => a.actor_user_id === person.session.userId)).toBe(true);
    // Its email is free for a new account.
    await expect(orgs.signUpOrg(platform, 'acct-again', person.email)).resolves.toMatchObject({
      email: person.email,
    });
  });

  it('gives the app role no other way to delete, restore, disable or enable an account', async () => {
    const org = await orgs.signUpOrg(platform, 'acct-guard');
    const userId = org.session.userId;
    const asApp = (fn: (tx: postgres.TransactionSql) => Promise<unknown>) =>
      asTenant(app, org.tenantId, userId, fn);
    for (const status of ['disabled', 'deleted', 'active']) {
      await expect(
        asApp((tx) => tx`update users set status = ${status} where id = ${userId}`),
      ).rejects.toThrow(/permission denied/);
    }
    await expect(
      asApp((tx) => tx`update users set deleted_at = now() where id = ${userId}`),
    ).rejects.toThrow(/permission denied/);
    // Only the runtime role may call the function, and only for the user of its context.
    await expect(platform`select * from tenantry_delete_account(null, null)`).rejects.toThrow(
      /permission denied/,
    );
    await expect(
      asTenant(
        app,
        org.tenantId,
        null,
        (tx) => tx`select * from tenantry_delete_account(null, null)`,
      ),
    ).rejects.toThrow(/no active user/);

    // Once deleted, the row is frozen for every role, grants or not: no email, name or password back.
    const other = await orgs.signUpOrg(platform, 'acct-guard-co');
    await join(org, other, 'owner');
    await asApp((tx) => tx`select * from tenantry_delete_account(null, null)`);
    for (const change of [
      (tx: postgres.TransactionSql) =>
        tx`update users set email = 'back@example.test' where id = ${userId}`,
      (tx: postgres.TransactionSql) =>
        tx`update users set name = 'Back', password_hash = 'x' where id = ${userId}`,
    ]) {
      await expect(asApp(change)).rejects.toThrow(/was deleted/);
    }
    await expect(
      asSuperuser((sql) => sql`update users set status = 'active' where id = ${userId}`),
    ).rejects.toThrow(/was deleted/);
    await expect(
      asApp((tx) => tx`select * from tenantry_delete_account(null, null)`),
    ).rejects.toThrow(/no active user/);
  });
});
