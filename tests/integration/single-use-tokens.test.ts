import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TokenPurpose } from '@/db/schema';
import { hashToken } from '@/lib/auth/tokens';
import { asSuperuser, connect, type SeededTenant, type Sql, seedTenant, urls } from '../support/db';

vi.mock('next/headers', () => import('../support/fake-request'));

const { withTenant } = await import('@/db/with-tenant');
const { withPlatform } = await import('@/db/with-platform');
const { memberships, tenants, users } = await import('@/db/schema');
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

  it('last as long as their kind says, each of them', async () => {
    for (const [purpose, seconds] of Object.entries(tokens.TOKEN_TTL_SECONDS)) {
      const forMember = purpose !== 'invitation' && purpose !== 'join_domain';
      const token = await inA((tx) =>
        tokens.issueToken(tx, {
          tenantId: a.tenantId,
          purpose: purpose as TokenPurpose,
          userId: forMember ? a.userId : null,
          email: forMember ? null : 'someone@example.test',
        }),
      );
      const [row] = await asSuperuser(
        (sql) => sql`
          select extract(epoch from expires_at - created_at)::int as ttl from single_use_tokens
          where tenant_id = ${a.tenantId} and token_hash = ${hashToken(token)}`,
      );
      expect({ purpose, ttl: row?.ttl }).toEqual({ purpose, ttl: seconds });
    }
  });

  it('retire only the tokens of that kind', async () => {
    const reset = await issueInA();
    const verify = await inA((tx) =>
      tokens.issueToken(tx, { tenantId: a.tenantId, purpose: 'verify_email', userId: a.userId }),
    );
    await inA((tx) =>
      tokens.retireTokens(tx, {
        tenantId: a.tenantId,
        purpose: 'reset_password',
        userId: a.userId,
      }),
    );
    const ref = (purpose: TokenPurpose, token: string) => ({
      tenantId: a.tenantId,
      purpose,
      token,
    });
    expect(await inA((tx) => tokens.findLiveToken(tx, ref('reset_password', reset)))).toBeNull();
    expect(await inA((tx) => tokens.redeemToken(tx, ref('verify_email', verify)))).toMatchObject({
      userId: a.userId,
    });
  });

  it('count concurrent failures exactly, and die at the last one allowed', async () => {
    const token = await issueInA();
    const ref = { tenantId: a.tenantId, purpose: 'reset_password' as const, token };
    const counts = await Promise.all(
      Array.from({ length: 6 }, () => inA((tx) => tokens.countTokenFailure(tx, ref, 4))),
    );
    expect(counts.filter((n) => n !== null).sort()).toEqual([1, 2, 3, 4]);
    expect(await inA((tx) => tokens.findLiveToken(tx, ref))).toBeNull();
  });

  it('count no failure, and spend nothing, from another tenant’s host', async () => {
    const token = await issueInA();
    const inB = (fn: Parameters<typeof withTenant<unknown>>[1]) =>
      withTenant({ tenantId: b.tenantId, userId: null }, fn);
    for (const tenantId of [a.tenantId, b.tenantId]) {
      const ref = { tenantId, purpose: 'reset_password' as const, token };
      expect(await inB((tx) => tokens.countTokenFailure(tx, ref, 1))).toBeNull();
    }
    const ref = { tenantId: a.tenantId, purpose: 'reset_password' as const, token };
    expect(await inA((tx) => tokens.findLiveToken(tx, ref))).toMatchObject({ failedAttempts: 0 });
  });

  it('when looked up with a lock, let concurrent attempts decide one after the other', async () => {
    const token = await issueInA();
    const ref = { tenantId: a.tenantId, purpose: 'reset_password' as const, token };
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let firstLocked!: () => void;
    const locked = new Promise<void>((resolve) => {
      firstLocked = resolve;
    });
    const order: string[] = [];
    const first = inA(async (tx) => {
      const live = await tokens.findLiveToken(tx, ref, { lock: true });
      firstLocked();
      await firstHolds;
      order.push('first redeems');
      return live && (await tokens.redeemToken(tx, ref));
    });
    await locked;
    const second = inA(async (tx) => {
      const live = await tokens.findLiveToken(tx, ref, { lock: true });
      order.push('second decides');
      return live;
    });
    // The second waits for the first's transaction, then sees the token spent.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(order).toEqual([]);
    releaseFirst();
    expect(await first).toMatchObject({ userId: a.userId });
    expect(await second).toBeNull();
    expect(order).toEqual(['first redeems', 'second decides']);
  });

  it('let the platform path issue any kind only in the transaction that creates the organization', async () => {
    const slug = `tokens-new-${randomUUID().slice(0, 8)}`;
    const issued = await withPlatform('signup', async (tx) => {
      const [tenant] = await tx
        .insert(tenants)
        .values({ slug, name: 'New' })
        .returning({ id: tenants.id });
      const [user] = await tx
        .insert(users)
        .values({ email: `${slug}@example.test`, name: 'New', passwordHash: 'x' })
        .returning({ id: users.id });
      await tx
        .insert(memberships)
        .values({ tenantId: tenant!.id, userId: user!.id, role: 'owner' });
      for (const purpose of ['handoff', 'two_factor_challenge', 'verify_email'] as const) {
        await tokens.issueToken(tx, { tenantId: tenant!.id, purpose, userId: user!.id });
      }
      return { tenantId: tenant!.id, userId: user!.id };
    });
    const [count] = await asSuperuser(
      (sql) =>
        sql`select count(*)::int as n from single_use_tokens where tenant_id = ${issued.tenantId}`,
    );
    expect(count?.n).toBe(3);
    // Once that transaction is over, the organization is an existing one.
    for (const purpose of ['handoff', 'two_factor_challenge', 'verify_email'] as const) {
      await expect(
        withPlatform('signup', (tx) =>
          tokens.issueToken(tx, { tenantId: issued.tenantId, purpose, userId: issued.userId }),
        ),
        purpose,
      ).rejects.toThrow();
    }
  });
});
