import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertRoleCannotBypassRls } from '@/db/bootstrap';
import { asTenant, connect, type SeededTenant, type Sql, seedTenant, urls } from '../support/db';

let app: Sql;
let platform: Sql;
let worker: Sql;
let owner: Sql;
let a: SeededTenant;
let b: SeededTenant;

beforeAll(async () => {
  app = connect(urls().app);
  platform = connect(urls().platform);
  worker = connect(urls().worker, 1);
  owner = connect(urls().owner, 1);
  a = await seedTenant(platform, app, 'rls-a');
  b = await seedTenant(platform, app, 'rls-b');
});

afterAll(async () => {
  await Promise.all([app.end(), platform.end(), worker.end(), owner.end()]);
});

const TENANT_TABLES_PERMISSION_ERROR = /row-level security|permission denied/;

describe('database roles', () => {
  it('runtime, platform and worker roles are neither superuser nor BYPASSRLS and own nothing', async () => {
    for (const sql of [app, platform, worker]) {
      const [role] =
        await sql`select rolsuper, rolbypassrls from pg_roles where rolname = current_user`;
      expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
      const owned = await sql`
        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ('public', 'pgboss') and pg_has_role(current_user, c.relowner, 'USAGE')`;
      expect(owned).toEqual([]);
    }
    await expect(assertRoleCannotBypassRls(urls().app, 'runtime')).resolves.toBeUndefined();
    await expect(assertRoleCannotBypassRls(urls().worker, 'worker')).resolves.toBeUndefined();
  });

  it('the start-up check refuses a role that owns tables', async () => {
    await expect(assertRoleCannotBypassRls(urls().owner, 'runtime')).rejects.toThrow(
      /owns .*projects/,
    );
  });

  it('every table in the public schema has RLS enabled and forced, and tenant tables key on app.tenant_id', async () => {
    const tables = await owner`
      select c.relname, c.relrowsecurity, c.relforcerowsecurity,
        exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped) as has_tenant_id,
        coalesce((select bool_or(coalesce(p.qual, '') like '%app.tenant_id%')
                  from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname), false) as tenant_policy
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')`;
    expect(tables.length).toBeGreaterThanOrEqual(8);
    for (const t of tables) {
      expect({
        table: t.relname,
        enabled: t.relrowsecurity,
        forced: t.relforcerowsecurity,
      }).toEqual({
        table: t.relname,
        enabled: true,
        forced: true,
      });
      if (t.has_tenant_id)
        expect({ table: t.relname, policy: t.tenant_policy }).toEqual({
          table: t.relname,
          policy: true,
        });
    }
  });

  it('gives the runtime role no policy on a tenant table that does not key on app.tenant_id', async () => {
    const policies = await owner`
      select p.policyname, p.qual, p.with_check
      from pg_policies p
      where p.schemaname = 'public' and 'tenantry_app' = any(p.roles)
        and exists (select 1 from information_schema.columns c
                    where c.table_schema = 'public' and c.table_name = p.tablename
                      and c.column_name = 'tenant_id')`;
    expect(policies.length).toBeGreaterThanOrEqual(6);
    // Tenant rows key on app.tenant_id; the few `_own_` policies let a user reach their own rows (sessions,
    // memberships) in every organization, keyed on app.user_id, which comes from the verified session.
    const ownRow =
      /^\(user_id = \( SELECT \(NULLIF\(current_setting\('app\.user_id'::text, true\), ''::text\)\)::uuid AS "nullif"\)\)$/;
    const keyed = (expr: string | null, policy: string) =>
      expr === null ||
      expr.includes("current_setting('app.tenant_id'") ||
      (policy.includes('_own_') && ownRow.test(expr));
    for (const p of policies) {
      expect({
        policy: p.policyname,
        using: keyed(p.qual, p.policyname),
        check: keyed(p.with_check, p.policyname),
      }).toEqual({
        policy: p.policyname,
        using: true,
        check: true,
      });
    }
  });

  it('the runtime role cannot change or erase the audit trail', async () => {
    await asTenant(app, a.tenantId, a.userId, async (tx) => {
      await tx`insert into audit_events (tenant_id, actor_user_id, action) values (${a.tenantId}, ${a.userId}, 'test.event')`;
    });
    await expect(
      asTenant(app, a.tenantId, a.userId, (tx) => tx`update audit_events set action = 'x'`),
    ).rejects.toThrow(/permission denied/);
    await expect(
      asTenant(app, a.tenantId, a.userId, (tx) => tx`delete from audit_events`),
    ).rejects.toThrow(/permission denied/);
  });

  it("the platform role cannot read a tenant's projects or sessions", async () => {
    await expect(platform`select * from projects`).rejects.toThrow(/permission denied/);
    await expect(platform`select * from sessions`).rejects.toThrow(/permission denied/);
  });
});

describe('row-level security between two tenants', () => {
  it('returns no rows without a tenant context', async () => {
    for (const table of [
      'projects',
      'memberships',
      'sessions',
      'single_use_tokens',
      'tenants',
      'users',
    ]) {
      const rows = await app.unsafe(`select * from ${table}`);
      expect({ table, rows: rows.length }).toEqual({ table, rows: 0 });
    }
  });

  it("returns no rows rather than an error when the setting is ''", async () => {
    const rows = await app.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', '', true)`;
      return tx`select * from projects`;
    });
    expect(rows).toHaveLength(0);
  });

  it("never shows, updates or deletes tenant B's rows in tenant A's context", async () => {
    await asTenant(app, a.tenantId, a.userId, async (tx) => {
      const names = (await tx`select name from projects`).map((r) => r.name);
      expect(names).toContain(a.canary);
      expect(names).not.toContain(b.canary);
      expect(await tx`select * from projects where id = ${b.projectId}`).toHaveLength(0);
      expect((await tx`update projects set name = 'pwned' where id = ${b.projectId}`).count).toBe(
        0,
      );
      expect((await tx`delete from projects where id = ${b.projectId}`).count).toBe(0);
      expect(await tx`select id from tenants`).toEqual([{ id: a.tenantId }]);
      expect((await tx`select id from users`).map((r) => r.id)).toEqual([a.userId]);
      expect(await tx`select * from memberships where tenant_id = ${b.tenantId}`).toHaveLength(0);
    });
    const [still] = await asTenant(
      app,
      b.tenantId,
      b.userId,
      (tx) => tx`select name from projects where id = ${b.projectId}`,
    );
    expect(still?.name).toBe(b.canary);
  });

  it("refuses to insert a row for tenant B from tenant A's context", async () => {
    await expect(
      asTenant(
        app,
        a.tenantId,
        a.userId,
        (tx) => tx`insert into projects (tenant_id, name) values (${b.tenantId}, 'planted')`,
      ),
    ).rejects.toThrow(TENANT_TABLES_PERMISSION_ERROR);
    await expect(
      asTenant(
        app,
        a.tenantId,
        a.userId,
        (tx) => tx`update projects set tenant_id = ${b.tenantId} where id = ${a.projectId}`,
      ),
    ).rejects.toThrow(TENANT_TABLES_PERMISSION_ERROR);
  });

  it('does not let a foreign key point into another tenant', async () => {
    // A session row of tenant A naming B's user must fail the composite (tenant_id, user_id) key.
    await expect(
      asTenant(
        app,
        a.tenantId,
        a.userId,
        (tx) =>
          tx`insert into sessions (tenant_id, user_id, expires_at) values (${a.tenantId}, ${b.userId}, now() + interval '1 day')`,
      ),
    ).rejects.toThrow(/foreign key/);
  });

  it('never leaks the context to the next transaction on a pooled connection', async () => {
    const single = connect(urls().app, 1);
    try {
      const seenByA = await asTenant(
        single,
        a.tenantId,
        a.userId,
        (tx) => tx`select name from projects`,
      );
      expect(seenByA.map((r) => r.name)).toContain(a.canary);
      const [setting] = await single`select current_setting('app.tenant_id', true) as v`;
      expect(setting?.v).toBe('');
      expect(await single`select * from projects`).toHaveLength(0);
      const seenByB = await asTenant(
        single,
        b.tenantId,
        b.userId,
        (tx) => tx`select name from projects`,
      );
      expect(seenByB.map((r) => r.name)).not.toContain(a.canary);
    } finally {
      await single.end();
    }
  });

  it('keeps 200 interleaved concurrent A/B transactions to their own canaries', async () => {
    const pool = connect(urls().app, 10);
    try {
      const runs = Array.from({ length: 200 }, (_, i) => {
        const t = i % 2 === 0 ? a : b;
        return asTenant(pool, t.tenantId, t.userId, async (tx) => {
          await tx`select pg_sleep(${(i % 5) / 1000})`;
          const rows = await tx`select tenant_id, name from projects`;
          return { expected: t.tenantId, seen: [...new Set(rows.map((r) => r.tenant_id))] };
        });
      });
      const results = await Promise.all(runs);
      for (const r of results) expect(r.seen).toEqual([r.expected]);
    } finally {
      await pool.end();
    }
  });

  it("makes a tenant's single-use tokens unusable on another tenant's host", async () => {
    for (const purpose of ['handoff', 'reset_password', 'two_factor_challenge']) {
      const tokenHash = randomUUID();
      await asTenant(
        app,
        a.tenantId,
        null,
        (tx) => tx`
          insert into single_use_tokens (tenant_id, token_hash, purpose, user_id, expires_at)
          values (${a.tenantId}, ${tokenHash}, ${purpose}, ${a.userId}, now() + interval '1 minute')`,
      );
      const spend = (tenantId: string) =>
        asTenant(
          app,
          tenantId,
          null,
          (tx) =>
            tx`update single_use_tokens set used_at = now() where token_hash = ${tokenHash} returning user_id`,
        );
      expect({ purpose, fromB: await spend(b.tenantId) }).toEqual({ purpose, fromB: [] });
      expect({ purpose, fromA: await spend(a.tenantId) }).toEqual({
        purpose,
        fromA: [{ user_id: a.userId }],
      });
    }
  });
});

describe('the platform role', () => {
  it('cannot plant a membership, a sign-in token or an audit event in an existing organization', async () => {
    const [intruder] = await platform`
      insert into users (email, name, password_hash)
      values (${`intruder-${randomUUID()}@example.test`}, 'I', 'x') returning id`;
    await expect(
      platform`insert into memberships (tenant_id, user_id, role) values (${a.tenantId}, ${intruder!.id}, 'owner')`,
    ).rejects.toThrow(/row-level security/);
    // Sign-up's tokens only for the organization it creates: no sign-in, challenge or emailed link here.
    for (const purpose of ['handoff', 'two_factor_challenge', 'verify_email', 'reset_password']) {
      await expect(
        platform`
          insert into single_use_tokens (tenant_id, token_hash, purpose, user_id, expires_at)
          values (${a.tenantId}, ${randomUUID()}, ${purpose}, ${a.userId}, now() + interval '1 minute')`,
        purpose,
      ).rejects.toThrow(/row-level security/);
    }
    await expect(
      platform`insert into audit_events (tenant_id, action) values (${a.tenantId}, 'forged')`,
    ).rejects.toThrow(/row-level security/);
  });

  it('can only revoke sessions, reading no more than their ids', async () => {
    await expect(platform`select ip, user_agent from sessions`).rejects.toThrow(
      /permission denied/,
    );
    await expect(
      platform`update sessions set expires_at = now() + interval '10 years'`,
    ).rejects.toThrow(/permission denied/);
  });
});

describe('the runtime role', () => {
  it('cannot change a user’s status or anyone else’s row, nor move a session to another user', async () => {
    // The only user row it may write is the current user's own (their email after confirmation, etc.).
    const others = await asTenant(
      app,
      a.tenantId,
      a.userId,
      (tx) => tx`update users set email = 'x@example.test' where id = ${b.userId}`,
    );
    expect(others.count).toBe(0);
    await expect(
      asTenant(
        app,
        a.tenantId,
        a.userId,
        (tx) => tx`update users set status = 'active' where id = ${a.userId}`,
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      asTenant(app, a.tenantId, a.userId, (tx) => tx`update sessions set user_id = ${b.userId}`),
    ).rejects.toThrow(/permission denied/);
  });
});
