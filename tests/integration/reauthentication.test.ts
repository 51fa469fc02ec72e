import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { asSuperuser, asTenant, connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import type { Org } from '../support/orgs';
import { totpCode } from '../support/two-factor';

// The request Next.js would provide, and Auth.js's signIn, which redeems the handoff token as the real
// provider does (lib/auth/config.ts).
const auth = vi.hoisted(() => ({ signIn: vi.fn() }));
vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', async () => ({
  ...(await import('../support/fake-request')),
  signIn: auth.signIn,
}));

const { redeemHandoffToken } = await import('@/lib/auth/handoff');
const { getHostTenant } = await import('@/lib/tenant/resolve');
const { signInWithPassword } = await import('@/lib/auth/sign-in');
const { getEnv } = await import('@/lib/config/env');
const settings = await import('@/lib/account/settings-actions');
const twoFactor = await import('@/lib/two-factor/actions');
const orgs = await import('../support/orgs');

let platform: Sql;
let app: Sql;
beforeAll(() => {
  platform = connect(urls().platform, 2);
  app = connect(urls().app, 2);
});
afterAll(() => Promise.all([platform.end(), app.end()]));
beforeEach(() => {
  request.pointer = null;
  request.ip = `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  auth.signIn.mockReset();
  auth.signIn.mockImplementation(async (_provider: string, options: { token: string }) => {
    const tenant = await getHostTenant();
    const signedIn =
      tenant && (await redeemHandoffToken(tenant.id, options.token, { ip: null, userAgent: null }));
    if (!signedIn) throw new Error('handoff token refused');
  });
});

const NEW_PASSWORD = 'quiet-lantern-river-71';

const changePassword = (current: string) =>
  settings.changePassword({ current, password: NEW_PASSWORD, confirm: NEW_PASSWORD });

const wrongPassword = (field: string) => ({
  ok: false,
  error: {
    code: 'invalid',
    message: 'Please correct the highlighted fields.',
    fieldErrors: { [field]: 'This is not your current password.' },
  },
});

// Nothing in the app reads the audit trail yet, so the runtime role may not either (db/grants.allowlist).
const audit = async (org: Org) =>
  asSuperuser(
    (sql) =>
      sql`select action, metadata from audit_events where tenant_id = ${org.tenantId} order by created_at, id`,
  );

const unlockLinks = async (org: Org) =>
  (
    await asTenant(
      app,
      org.tenantId,
      null,
      (tx) =>
        tx`select count(*)::int as n from single_use_tokens where purpose = 'unlock_account' and user_id = ${org.session.userId}`,
    )
  )[0]!.n as number;

/** The password sign-in on the organization's host, signed out. */
async function signInAgain(org: Org, password: string) {
  request.host = `${org.slug}.localhost:3000`;
  request.pointer = null;
  return signInWithPassword({ email: org.email, password });
}

describe('a wrong current password', () => {
  it('counts towards the sign-in lock, and while locked the right password is refused too', async () => {
    const org = await orgs.signUpOrg(platform, 'reauth-lock');
    orgs.actAs(request, org);
    for (let i = 0; i < 5; i++) {
      expect(await changePassword(`guess-number-${i}`)).toEqual(wrongPassword('current'));
    }
    // Locked: the right password is answered exactly like a wrong one, and nothing changes.
    expect(await changePassword(org.password)).toEqual(wrongPassword('current'));
    expect(await unlockLinks(org)).toBe(1);
    // The same lock as sign-in's: the password does not sign in on this host either.
    await expect(signInAgain(org, org.password)).rejects.toMatchObject({ code: 'invalid' });
    await expect(signInAgain(org, NEW_PASSWORD)).rejects.toMatchObject({ code: 'invalid' });
    expect(auth.signIn).not.toHaveBeenCalled();

    // Every refusal is audited, although the action's own transaction rolled back.
    const events = await audit(org);
    const refusals = events.filter((e) => e.action === 'user.reauthentication_failed');
    expect(refusals.map((e) => e.metadata)).toEqual([
      ...Array.from({ length: 5 }, () => ({ purpose: 'change_password', locked: false })),
      { purpose: 'change_password', locked: true },
    ]);
    expect(events.map((e) => e.action)).toContain('user.locked');
    expect(events.map((e) => e.action)).not.toContain('user.password_changed');
  });

  it('counts the same way from the email change and two-factor management, with sign-in failures', async () => {
    const org = await orgs.signUpOrg(platform, 'reauth-mixed');
    orgs.actAs(request, org);
    const started = await twoFactor.startTwoFactorSetup({ password: org.password });
    if (!started.ok) throw new Error(started.error.message);
    await twoFactor.confirmTwoFactorSetup({ code: totpCode(started.data.secret) });

    // One failed sign-in on this host, then four wrong passwords in the account settings.
    await expect(signInAgain(org, 'not-the-password')).rejects.toMatchObject({ code: 'invalid' });
    orgs.actAs(request, org);
    expect(
      await settings.requestEmailChange({ email: 'new@example.test', password: 'guess-1' }),
    ).toEqual(wrongPassword('password'));
    expect(await twoFactor.regenerateRecoveryCodes({ password: 'guess-2' })).toEqual(
      wrongPassword('password'),
    );
    expect(
      await twoFactor.disableTwoFactor({
        password: 'guess-3',
        code: totpCode(started.data.secret),
      }),
    ).toEqual(wrongPassword('password'));
    expect(await changePassword('guess-4')).toEqual(wrongPassword('current'));

    // Five failures: every re-authentication refuses the right password now.
    expect(await twoFactor.regenerateRecoveryCodes({ password: org.password })).toEqual(
      wrongPassword('password'),
    );
    expect(
      await twoFactor.disableTwoFactor({
        password: org.password,
        code: totpCode(started.data.secret, 1),
      }),
    ).toEqual(wrongPassword('password'));
    expect(
      await settings.requestEmailChange({ email: 'new@example.test', password: org.password }),
    ).toEqual(wrongPassword('password'));
    const purposes = (await audit(org))
      .filter((e) => e.action === 'user.reauthentication_failed')
      .map((e) => e.metadata);
    expect(purposes).toEqual([
      { purpose: 'change_email', locked: false },
      { purpose: 'recovery_codes', locked: false },
      { purpose: 'two_factor_disable', locked: false },
      { purpose: 'change_password', locked: false },
      { purpose: 'recovery_codes', locked: true },
      { purpose: 'two_factor_disable', locked: true },
      { purpose: 'change_email', locked: true },
    ]);
  });

  it('leaves the account open after fewer failures than the lock', async () => {
    const org = await orgs.signUpOrg(platform, 'reauth-open');
    orgs.actAs(request, org);
    for (let i = 0; i < 4; i++) await changePassword(`guess-number-${i}`);
    expect(await changePassword(org.password)).toEqual({ ok: true, data: { done: true } });
    await expect(signInAgain(org, NEW_PASSWORD)).resolves.toEqual({ redirectTo: '/' });
  });

  it('is recorded without waiting for a connection that its own caller holds', async () => {
    // More failing checks at once than the process has connections: each one holds a connection for its
    // action's transaction while it records the refusal. Recording it on that same pool would wait forever.
    const org = await orgs.signUpOrg(platform, 'reauth-pool');
    orgs.actAs(request, org);
    const attempts = 2 * getEnv().databasePoolSize;
    const results = await Promise.all(
      Array.from({ length: attempts }, (_, i) => changePassword(`guess-number-${i}`)),
    );
    expect(results).toEqual(Array.from({ length: attempts }, () => wrongPassword('current')));
    const refusals = (await audit(org)).filter((e) => e.action === 'user.reauthentication_failed');
    expect(refusals).toHaveLength(attempts);
  }, 30_000);
});

describe('setting up two-factor authentication', () => {
  it('needs the password, so a session alone cannot add its own authenticator', async () => {
    const org = await orgs.signUpOrg(platform, 'reauth-enroll');
    orgs.actAs(request, org);
    const pending = () =>
      asTenant(app, org.tenantId, org.session.userId, (tx) => tx`select 1 from user_two_factor`);

    // The call the old page made, with no password at all.
    expect(await twoFactor.startTwoFactorSetup({} as { password: string })).toMatchObject({
      ok: false,
      error: { code: 'invalid', fieldErrors: { password: expect.any(String) } },
    });
    expect(await twoFactor.startTwoFactorSetup({ password: 'not-the-password' })).toEqual(
      wrongPassword('password'),
    );
    expect(await pending()).toEqual([]);
    expect((await audit(org)).filter((e) => e.action === 'user.reauthentication_failed')).toEqual([
      {
        action: 'user.reauthentication_failed',
        metadata: { purpose: 'two_factor_setup', locked: false },
      },
    ]);

    const started = await twoFactor.startTwoFactorSetup({ password: org.password });
    expect(started).toMatchObject({
      ok: true,
      data: { secret: expect.stringMatching(/^[A-Z2-7]{32}$/) },
    });
    expect(await pending()).toHaveLength(1);
  });
});
