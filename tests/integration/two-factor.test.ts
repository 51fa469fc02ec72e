import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { asSuperuser, asTenant, connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import type { Org } from '../support/orgs';
import { totpCode, wrongTotpCode } from '../support/two-factor';

// The request Next.js would provide (host, client address, session cookie), and Auth.js's signIn, which
// here redeems the handoff token exactly as the real provider does (lib/auth/config.ts).
const auth = vi.hoisted(() => ({ signIn: vi.fn() }));
vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', async () => ({
  ...(await import('../support/fake-request')),
  signIn: auth.signIn,
}));
request.ip = '203.0.113.20';

const { redeemHandoffToken } = await import('@/lib/auth/handoff');
const { getHostTenant } = await import('@/lib/tenant/resolve');
const { getCurrentMember } = await import('@/lib/auth/session');
const { signInWithPassword, signInWithSecondFactor } = await import('@/lib/auth/sign-in');
const { hashToken } = await import('@/lib/auth/tokens');
const actions = await import('@/lib/two-factor/actions');
const { signUp } = await import('@/lib/signup/sign-up');
const orgs = await import('../support/orgs');

let platform: Sql;
let app: Sql;
const openedSessions: string[] = [];

beforeAll(() => {
  platform = connect(urls().platform, 2);
  app = connect(urls().app, 2);
});
afterAll(() => Promise.all([platform.end(), app.end()]));
beforeEach(() => {
  request.host = 'localhost:3000';
  request.pointer = null;
  request.ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
  auth.signIn.mockReset();
  auth.signIn.mockImplementation(async (_provider: string, options: { token: string }) => {
    const tenant = await getHostTenant();
    const signedIn =
      tenant && (await redeemHandoffToken(tenant.id, options.token, { ip: null, userAgent: null }));
    if (!signedIn) throw new Error('handoff token refused');
    openedSessions.push(signedIn.sessionId);
    return '/';
  });
});

const signUpOrg = (label: string) => orgs.signUpOrg(platform, label);

/** Signs up an organization and turns two-factor sign-in on for its owner, as the security page does. */
async function enrolledOrg(label: string) {
  const org = await signUpOrg(label);
  orgs.actAs(request, org);
  const started = await actions.startTwoFactorSetup({ password: org.password });
  if (!started.ok) throw new Error(started.error.message);
  const confirmed = await actions.confirmTwoFactorSetup({ code: totpCode(started.data.secret) });
  if (!confirmed.ok) throw new Error(confirmed.error.message);
  request.pointer = null;
  return { org, secret: started.data.secret, recoveryCodes: confirmed.data.recoveryCodes };
}

const asUser = <T>(org: Org, fn: Parameters<typeof asTenant<T>>[3]) =>
  asTenant(app, org.tenantId, org.session.userId, fn);

const countSessions = async (org: Org) =>
  (
    await asUser(
      org,
      (tx) => tx`select count(*)::int as n from sessions where user_id = ${org.session.userId}`,
    )
  )[0]!.n as number;

const auditActions = async (org: Org) =>
  (
    await asSuperuser(
      (sql) =>
        sql`select action from audit_events where tenant_id = ${org.tenantId} order by created_at`,
    )
  ).map((r) => r.action as string);

/** Password step on the organization's host; returns the challenge it must answer with. */
async function passwordStep(org: Org) {
  request.host = `${org.slug}.localhost:3000`;
  request.pointer = null;
  const result = await signInWithPassword({ email: org.email, password: org.password });
  if (!('secondFactor' in result)) throw new Error('expected a second-factor challenge');
  return result.secondFactor.challenge;
}

describe('enrollment', () => {
  it('keeps the secret pending (sealed) until a current code confirms it, then shows ten recovery codes', async () => {
    const org = await signUpOrg('tfa-enroll');
    orgs.actAs(request, org);
    const started = await actions.startTwoFactorSetup({ password: org.password });
    expect(started).toMatchObject({ ok: true });
    const { secret, qrCode } = started.ok ? started.data : { secret: '', qrCode: '' };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(qrCode.split(',')[1]!, 'base64').toString()).toContain('<svg');

    const [row] = await asUser(org, (tx) => tx`select * from user_two_factor`);
    expect(row).toMatchObject({ enabled_at: null, secret_sealed: null });
    expect(row!.pending_secret_sealed).toMatch(/^v1\./);
    expect(row!.pending_secret_sealed).not.toContain(secret);
    expect((await getCurrentMember())?.twoFactorEnabled).toBe(false);

    expect(await actions.confirmTwoFactorSetup({ code: wrongTotpCode(secret) })).toMatchObject({
      ok: false,
      error: { code: 'invalid', fieldErrors: { code: expect.stringMatching(/not valid/) } },
    });
    expect(await actions.confirmTwoFactorSetup({ code: '12' })).toMatchObject({
      ok: false,
      error: { fieldErrors: { code: expect.stringMatching(/6-digit/) } },
    });
    expect((await getCurrentMember())?.twoFactorEnabled).toBe(false);

    const confirmed = await actions.confirmTwoFactorSetup({ code: totpCode(secret) });
    expect(confirmed.ok).toBe(true);
    const codes = confirmed.ok ? confirmed.data.recoveryCodes : [];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect((await getCurrentMember())?.twoFactorEnabled).toBe(true);

    // Only keyed hashes of the codes are stored, and the secret is never handed out again.
    const stored = await asUser(org, (tx) => tx`select code_hash from two_factor_recovery_codes`);
    expect(stored).toHaveLength(10);
    for (const { code_hash } of stored) {
      expect(code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(codes.map((c) => hashToken(c))).not.toContain(code_hash);
    }
    expect(await actions.startTwoFactorSetup({ password: org.password })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await auditActions(org)).toEqual(
      expect.arrayContaining(['two_factor.setup_started', 'two_factor.enabled']),
    );
  });

  it('keeps another user’s rows out of reach even within the same organization', async () => {
    const { org } = await enrolledOrg('tfa-own');
    const stranger = await signUpOrg('tfa-stranger');
    const seen = await asTenant(
      app,
      org.tenantId,
      stranger.session.userId,
      (tx) =>
        tx`select user_id from user_two_factor union all select user_id from two_factor_recovery_codes`,
    );
    expect(seen).toEqual([]);
    // The platform role (sign-up) learns whether 2FA is on, never a secret or a code, and cannot plant a
    // challenge in an existing organization.
    expect(
      await platform`select enabled_at is not null as on from user_two_factor where user_id = ${org.session.userId}`,
    ).toEqual([{ on: true }]);
    await expect(platform`select secret_sealed from user_two_factor`).rejects.toThrow(
      /permission denied/,
    );
    await expect(platform`select code_hash from two_factor_recovery_codes`).rejects.toThrow(
      /permission denied/,
    );
    await expect(platform`
      insert into single_use_tokens (tenant_id, token_hash, purpose, user_id, expires_at)
      values (${org.tenantId}, 'x', 'two_factor_challenge', ${org.session.userId}, now() + interval '1 minute')`).rejects.toThrow(
      /row-level security/,
    );
  });
});

describe('sign-in with a second factor', () => {
  it('opens no session after the password, only after a valid code, with a hashed, single-use challenge', async () => {
    const { org, secret } = await enrolledOrg('tfa-signin');
    const before = await countSessions(org);
    const challenge = await passwordStep(org);
    expect(auth.signIn).not.toHaveBeenCalled();
    expect(await countSessions(org)).toBe(before);

    const stored = await asTenant(
      app,
      org.tenantId,
      null,
      (tx) =>
        tx`select token_hash, expires_at - now() < interval '5 minutes 1 second' as short
           from single_use_tokens where purpose = 'two_factor_challenge'`,
    );
    expect(stored).toEqual([{ token_hash: hashToken(challenge), short: true }]);

    await expect(
      signInWithSecondFactor({
        challenge,
        code: '000000' === totpCode(secret, 1) ? '111111' : '000000',
      }),
    ).rejects.toMatchObject({
      code: 'invalid',
      details: { fieldErrors: { code: expect.any(String) } },
    });
    expect(await countSessions(org)).toBe(before);

    // The code of the next step: the confirming code spent the current one.
    await expect(signInWithSecondFactor({ challenge, code: totpCode(secret, 1) })).resolves.toEqual(
      {
        redirectTo: '/',
      },
    );
    expect(auth.signIn).toHaveBeenCalledTimes(1);
    expect(await countSessions(org)).toBe(before + 1);

    // The challenge is spent: even a valid code cannot use it again.
    await expect(
      signInWithSecondFactor({ challenge, code: totpCode(secret, -1) }),
    ).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    expect(await auditActions(org)).toContain('two_factor.challenge_failed');
  });

  it('refuses an expired challenge and one of another organization', async () => {
    const { org, secret } = await enrolledOrg('tfa-expired');
    const expired = 'x'.repeat(43);
    await asTenant(
      app,
      org.tenantId,
      null,
      (tx) =>
        tx`insert into single_use_tokens (tenant_id, token_hash, purpose, user_id, expires_at)
         values (${org.tenantId}, ${hashToken(expired)}, 'two_factor_challenge', ${org.session.userId},
                 now() - interval '1 second')`,
    );
    request.host = `${org.slug}.localhost:3000`;
    await expect(
      signInWithSecondFactor({ challenge: expired, code: totpCode(secret, 1) }),
    ).rejects.toMatchObject({
      code: 'unauthenticated',
    });

    const challenge = await passwordStep(org);
    const other = await signUpOrg('tfa-other-host');
    request.host = `${other.slug}.localhost:3000`;
    await expect(
      signInWithSecondFactor({ challenge, code: totpCode(secret, 1) }),
    ).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    expect(auth.signIn).not.toHaveBeenCalled();
  });

  it('refuses a TOTP code already used in its time step', async () => {
    const { org, secret } = await enrolledOrg('tfa-replay');
    const code = totpCode(secret, 1);
    await signInWithSecondFactor({ challenge: await passwordStep(org), code });
    await expect(
      signInWithSecondFactor({ challenge: await passwordStep(org), code }),
    ).rejects.toMatchObject({ code: 'invalid' });
    // And the confirming code of enrollment was spent the same way.
    await expect(
      signInWithSecondFactor({ challenge: await passwordStep(org), code: totpCode(secret) }),
    ).rejects.toMatchObject({ code: 'invalid' });
    expect(auth.signIn).toHaveBeenCalledTimes(1);
  });

  it('accepts each recovery code once, however it is typed, and records its use', async () => {
    const { org, recoveryCodes } = await enrolledOrg('tfa-recovery');
    const [first, second] = recoveryCodes;
    await expect(
      signInWithSecondFactor({ challenge: await passwordStep(org), code: first! }),
    ).resolves.toEqual({ redirectTo: '/' });
    await expect(
      signInWithSecondFactor({ challenge: await passwordStep(org), code: first! }),
    ).rejects.toMatchObject({ code: 'invalid' });
    await expect(
      signInWithSecondFactor({
        challenge: await passwordStep(org),
        code: ` ${second!.replace('-', '').toUpperCase()} `,
      }),
    ).resolves.toEqual({ redirectTo: '/' });
    expect(
      (await auditActions(org)).filter((a) => a === 'two_factor.recovery_code_used'),
    ).toHaveLength(2);
  });

  it('counts wrong codes towards the account lock, and a challenge dies after five', async () => {
    const { org, secret } = await enrolledOrg('tfa-lock');
    const challenge = await passwordStep(org);
    for (let i = 0; i < 5; i++) {
      await expect(
        signInWithSecondFactor({ challenge, code: `zz${i}zz-zzzzz` }),
      ).rejects.toMatchObject({
        code: 'invalid',
      });
    }
    await expect(
      signInWithSecondFactor({ challenge, code: totpCode(secret, 1) }),
    ).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    // Five failures lock the account on this host: the right password now answers like a wrong one.
    await expect(
      signInWithPassword({ email: org.email, password: org.password }),
    ).rejects.toMatchObject({
      code: 'invalid',
      message: 'The email or password is incorrect.',
    });
    expect(auth.signIn).not.toHaveBeenCalled();
    const actions = await auditActions(org);
    expect(actions.filter((a) => a === 'two_factor.challenge_failed')).toHaveLength(5);
    expect(actions).toContain('user.locked');
  });
});

describe('sign-up with an account that has two-factor sign-in', () => {
  it('signs it into the new organization only after its second factor', async () => {
    const { org, secret } = await enrolledOrg('tfa-another-org');
    const slug = `tfa-new-${Date.now().toString(36)}`;
    const { redirectTo } = await signUp({
      organizationName: 'Second organization',
      slug,
      name: 'Ignored for an existing account',
      email: org.email,
      password: org.password,
    });
    const match = new RegExp(`^http://${slug}\\.localhost:3000/login#challenge=([\\w-]+)$`).exec(
      redirectTo,
    );
    expect(match).not.toBeNull();
    const [tenant] = await platform`select id from tenants where slug = ${slug}`;
    const sessions = await asTenant(app, tenant!.id, null, (tx) => tx`select id from sessions`);
    expect(sessions).toEqual([]);

    request.host = `${slug}.localhost:3000`;
    await expect(
      signInWithSecondFactor({ challenge: match![1]!, code: wrongTotpCode(secret) }),
    ).rejects.toMatchObject({ code: 'invalid' });
    await expect(
      signInWithSecondFactor({ challenge: match![1]!, code: totpCode(secret, 1) }),
    ).resolves.toEqual({ redirectTo: '/' });
    expect(auth.signIn).toHaveBeenCalledTimes(1);
  });
});

describe('managing two-factor sign-in', () => {
  it('turns off only with the current password and a valid code', async () => {
    const { org, secret, recoveryCodes } = await enrolledOrg('tfa-disable');
    orgs.actAs(request, org);
    expect(
      await actions.disableTwoFactor({ password: 'not-the-password', code: totpCode(secret, 1) }),
    ).toMatchObject({ ok: false, error: { fieldErrors: { password: expect.any(String) } } });
    expect(await actions.disableTwoFactor({ password: org.password, code: '123' })).toMatchObject({
      ok: false,
      error: { fieldErrors: { code: expect.any(String) } },
    });
    expect((await getCurrentMember())?.twoFactorEnabled).toBe(true);

    expect(
      await actions.disableTwoFactor({ password: org.password, code: recoveryCodes[3]! }),
    ).toMatchObject({ ok: true });
    expect((await getCurrentMember())?.twoFactorEnabled).toBe(false);
    expect(await asUser(org, (tx) => tx`select 1 from two_factor_recovery_codes`)).toHaveLength(0);
    expect(await auditActions(org)).toContain('two_factor.disabled');

    // Without 2FA, the password alone signs in again.
    request.host = `${org.slug}.localhost:3000`;
    request.pointer = null;
    await expect(signInWithPassword({ email: org.email, password: org.password })).resolves.toEqual(
      {
        redirectTo: '/',
      },
    );
  });

  it('regenerates recovery codes with the password, and the old ones stop working', async () => {
    const { org, recoveryCodes } = await enrolledOrg('tfa-regen');
    orgs.actAs(request, org);
    expect(await actions.regenerateRecoveryCodes({ password: 'wrong-password-1' })).toMatchObject({
      ok: false,
      error: { fieldErrors: { password: 'This is not your current password.' } },
    });
    const fresh = await actions.regenerateRecoveryCodes({ password: org.password });
    const codes = fresh.ok ? fresh.data.recoveryCodes : [];
    expect(codes).toHaveLength(10);
    expect(codes.some((c) => recoveryCodes.includes(c))).toBe(false);
    await expect(
      signInWithSecondFactor({ challenge: await passwordStep(org), code: recoveryCodes[0]! }),
    ).rejects.toMatchObject({ code: 'invalid' });
    await expect(
      signInWithSecondFactor({ challenge: await passwordStep(org), code: codes[0]! }),
    ).resolves.toEqual({ redirectTo: '/' });
    expect(await auditActions(org)).toContain('two_factor.recovery_codes_regenerated');
  });
});
