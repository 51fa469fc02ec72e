import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { asSuperuser, connect, type SeededTenant, type Sql, seedTenant, urls } from '../support/db';

vi.mock('next/headers', () => import('../support/fake-request'));

const { withTenant } = await import('@/db/with-tenant');
const { withPlatform } = await import('@/db/with-platform');
const tokens = await import('@/lib/tokens/single-use');

let platform: Sql;
let app: Sql;
let a: SeededTenant;
let b: SeededTenant;

beforeAll(async () => {
  platform = connect(urls().platform, 1);
  app = connect(urls().app, 1);
  a = await seedTenant(platform, app, 'tokens-a');
  b = await seedTenant(platform, app, 'tokens-b');
});
afterAll(() => Promise.all([platform.end(), app.end()]));

const inA = <T>(fn: Parameters<typeof withTenant<T>>[1]) =>
  withTenant({ tenantId: a.tenantId, userId: null }, fn);
const issueInA = (purpose: 'reset_password' | 'invitation' = 'reset_password') =>
  inA((tx) =>
    tokens.issueToken(tx, {
      tenantId: a.tenantId,
      purpose,
      userId: purpose === 'invitation' ? null : a.userId,
      email: purpose === 'invitation' ? 'New.Person@Example.test' : null,
      subjectId: purpose === 'invitation' ? randomUUID() : null,
    }),
  );

describe('single-use tokens', () => {
  it('store only a hash, and are redeemed once', async () => {
    const token = await issueInA();
    const stored = await asSuperuser(
      (sql) => sql`select token_hash from single_use_tokens where tenant_id = ${a.tenantId}`,
    );
    expect(stored.map((r) => r.token_hash)).not.toContain(token);
    const ref = { tenantId: a.tenantId, purpose: 'reset_password' as const, token };
    expect(await inA((tx) => tokens.findLiveToken(tx, ref))).toMatchObject({ userId: a.userId });
    // Looking does not spend it.
    expect(await inA((tx) => tokens.redeemToken(tx, ref))).toMatchObject({ userId: a.userId });
    expect(await inA((tx) => tokens.redeemToken(tx, ref))).toBeNull();
    expect(await inA((tx) => tokens.findLiveToken(tx, ref))).toBeNull();
  });

  it('are spent at most once under concurrent redemption', async () => {
    const token = await issueInA();
    const ref = { tenantId: a.tenantId, purpose: 'reset_password' as const, token };
    const results = await Promise.all(
      Array.from({ length: 8 }, () => inA((tx) => tokens.redeemToken(tx, ref))),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it('are bound to their purpose and to their tenant’s host', async () => {
    const token = await issueInA();
    const asInvitation = { tenantId: a.tenantId, purpose: 'invitation' as const, token };
    expect(await inA((tx) => tokens.redeemToken(tx, asInvitation))).toBeNull();
    // On B's host: B's context, whether or not the caller names A's tenant.
    for (const tenantId of [a.tenantId, b.tenantId]) {
      const ref = { tenantId, purpose: 'reset_password' as const, token };
      expect(
        await withTenant({ tenantId: b.tenantId, userId: null }, (tx) =>
          tokens.redeemToken(tx, ref),
        ),
      ).toBeNull();
    }
    const ref = { tenantId: a.tenantId, purpose: 'reset_password' as const, token };
    expect(await inA((tx) => tokens.redeemToken(tx, ref))).not.toBeNull();
  });

  it('expire', async () => {
    const token = await issueInA();
    await asSuperuser(
      (sql) =>
        sql`update single_use_tokens set expires_at = now() - interval '1 second' where tenant_id = ${a.tenantId} and used_at is null`,
    );
    const ref = { tenantId: a.tenantId, purpose: 'reset_password' as const, token };
    expect(await inA((tx) => tokens.redeemToken(tx, ref))).toBeNull();
  });

  it('last as long as their kind says: seven days for an invitation', async () => {
    await issueInA('invitation');
    const [row] = await asSuperuser(
      (sql) => sql`
        select extract(epoch from expires_at - created_at)::int as ttl, email from single_use_tokens
        where tenant_id = ${a.tenantId} and purpose = 'invitation' order by created_at desc limit 1`,
    );
    expect(row).toEqual({ ttl: 7 * 24 * 60 * 60, email: 'new.person@example.test' });
  });

  it('retire the earlier live tokens of a kind', async () => {
    const first = await issueInA();
    const second = await issueInA();
    expect(
      await inA((tx) =>
        tokens.retireTokens(tx, {
          tenantId: a.tenantId,
          purpose: 'reset_password',
          userId: a.userId,
        }),
      ),
    ).toBe(2);
    for (const token of [first, second]) {
      const ref = { tenantId: a.tenantId, purpose: 'reset_password' as const, token };
      expect(await inA((tx) => tokens.redeemToken(tx, ref))).toBeNull();
    }
  });

  it('die after the allowed number of failures', async () => {
    const token = await issueInA();
    const ref = { tenantId: a.tenantId, purpose: 'reset_password' as const, token };
    expect(await inA((tx) => tokens.countTokenFailure(tx, ref, 3))).toBe(1);
    expect(await inA((tx) => tokens.countTokenFailure(tx, ref, 3))).toBe(2);
    expect(await inA((tx) => tokens.countTokenFailure(tx, ref, 3))).toBe(3);
    expect(await inA((tx) => tokens.countTokenFailure(tx, ref, 3))).toBeNull();
    expect(await inA((tx) => tokens.findLiveToken(tx, ref))).toBeNull();
  });

  it('refuse anything that is not token-shaped before any lookup', async () => {
    const ref = { tenantId: a.tenantId, purpose: 'reset_password' as const, token: 'x' };
    expect(await inA((tx) => tokens.redeemToken(tx, ref))).toBeNull();
  });

  it('let the platform path issue join tokens only for an allowed domain', async () => {
    await asSuperuser(
      (sql) =>
        sql`update tenants set allowed_email_domains = '{acme-corp.test}' where id = ${a.tenantId}`,
    );
    const join = (email: string, purpose: 'join_domain' | 'reset_password' = 'join_domain') =>
      withPlatform('join-by-domain', (tx) =>
        tokens.issueToken(tx, { tenantId: a.tenantId, purpose, email }),
      );
    const token = await join('someone@acme-corp.test');
    await expect(join('someone@elsewhere.test')).rejects.toThrow();
    await expect(join('someone@acme-corp.test', 'reset_password')).rejects.toThrow();
    const ref = { tenantId: a.tenantId, purpose: 'join_domain' as const, token };
    expect(await withPlatform('join-by-domain', (tx) => tokens.redeemToken(tx, ref))).toMatchObject(
      { email: 'someone@acme-corp.test', userId: null },
    );
    // The platform path reads no other kind of token.
    const reset = await issueInA();
    const resetRef = { tenantId: a.tenantId, purpose: 'reset_password' as const, token: reset };
    expect(
      await withPlatform('join-by-domain', (tx) => tokens.findLiveToken(tx, resetRef)),
    ).toBeNull();
  });
});
