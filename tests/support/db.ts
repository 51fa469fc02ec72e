import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';

export const urls = () => inject('databaseUrls');

export const connect = (url: string, max = 4) => postgres(url, { max, onnotice: () => {} });

export type Sql = ReturnType<typeof connect>;

/**
 * Runs `fn` as the bootstrap superuser, which bypasses RLS and every grant: for what no app path does yet
 * (adding a member or changing their role, renaming a user, reading the audit trail), so that the roles the
 * app runs as need no grant for a test's sake. It sees every tenant: filter by tenant explicitly.
 */
export async function asSuperuser<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
  const sql = connect(urls().superuser, 1);
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

/**
 * `asSuperuser` in one transaction that fires no trigger: for seeding a state the database itself refuses
 * (an organization whose only owner is demoted, deactivated or removed: the members trigger of migration
 * 0041), to test what the rest of the app does with it.
 */
export function asSuperuserWithoutTriggers<T>(fn: (tx: postgres.TransactionSql) => Promise<T>) {
  return asSuperuser(
    (sql) =>
      sql.begin(async (tx) => {
        await tx`set local session_replication_role = replica`;
        return fn(tx);
      }) as Promise<T>,
  );
}

export type SeededTenant = {
  tenantId: string;
  userId: string;
  slug: string;
  projectId: string;
  canary: string;
};

/** A tenant with an owner and one canary project, created the way production does: platform, then tenant. */
export async function seedTenant(platform: Sql, app: Sql, label: string): Promise<SeededTenant> {
  const slug = `${label}-${randomUUID().slice(0, 8)}`;
  const canary = `canary-${slug}`;
  // One platform transaction, as at sign-up: the platform role writes only into a tenant it just created.
  const { tenant, user } = await platform.begin(async (tx) => {
    const [tenant] =
      await tx`insert into tenants (slug, name) values (${slug}, ${label}) returning id`;
    const [user] = await tx`
      insert into users (email, name, password_hash) values (${`${slug}@example.test`}, ${label}, 'x') returning id`;
    await tx`insert into memberships (tenant_id, user_id, role) values (${tenant!.id}, ${user!.id}, 'owner')`;
    return { tenant, user };
  });
  const projectId = await asTenant(app, tenant!.id, user!.id, async (tx) => {
    const [row] = await tx`
      insert into projects (tenant_id, name, created_by) values (${tenant!.id}, ${canary}, ${user!.id}) returning id`;
    return row!.id as string;
  });
  return { tenantId: tenant!.id, userId: user!.id, slug, projectId, canary };
}

/** Raw equivalent of withTenant, to test the database's own guarantee independently of the helper. */
export function asTenant<T>(
  sql: Sql,
  tenantId: string,
  userId: string | null,
  fn: (tx: postgres.TransactionSql) => Promise<T>,
): Promise<T> {
  return sql.begin(async (tx) => {
    await tx`select set_config('app.tenant_id', ${tenantId}, true), set_config('app.user_id', ${userId ?? ''}, true)`;
    return fn(tx);
  }) as Promise<T>;
}
