import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

/**
 * Server-level set-up that migrations cannot do: the four roles (they belong to the server and need
 * CREATEROLE; their passwords never go into SQL files) and the database. Idempotent, and safe when several
 * test databases bootstrap the same server at once.
 */

export const ROLE_NAMES = {
  owner: 'tenantry_owner',
  app: 'tenantry_app',
  platform: 'tenantry_platform',
  worker: 'tenantry_worker',
} as const;

export type RolePasswords = { owner: string; app: string; platform: string; worker: string };

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

export async function bootstrapServer(
  adminUrl: string,
  database: string,
  passwords: RolePasswords,
) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    for (const [key, name] of Object.entries(ROLE_NAMES) as [keyof RolePasswords, string][]) {
      await admin.unsafe(`DO $$ BEGIN
        CREATE ROLE ${name} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOINHERIT;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
      await admin.unsafe(
        `ALTER ROLE ${name} WITH LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD ${literal(passwords[key])}`,
      );
      // A role setting rather than a connection start-up parameter, which PgBouncer refuses. Every
      // statement of the app is keyed by tenant and id, where one plan fits all tenants; without this,
      // PostgreSQL keeps re-planning the RLS-expanded board read, which costs as much as running it.
      await admin.unsafe(`ALTER ROLE ${name} SET plan_cache_mode = force_generic_plan`);
    }
    const [exists] = await admin`select 1 from pg_database where datname = ${database}`;
    if (!exists) {
      await admin
        .unsafe(`CREATE DATABASE "${database}" OWNER ${ROLE_NAMES.owner}`)
        .catch((error) => {
          if ((error as { code?: string }).code !== '42P04') throw error;
        });
    }
    await admin.unsafe(`REVOKE ALL ON DATABASE "${database}" FROM PUBLIC`);
    await admin.unsafe(
      `GRANT CONNECT ON DATABASE "${database}" TO ${ROLE_NAMES.app}, ${ROLE_NAMES.platform}, ${ROLE_NAMES.worker}`,
    );
  } finally {
    await admin.end();
  }
}

export async function runMigrations(ownerUrl: string) {
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(owner), { migrationsFolder });
  } finally {
    await owner.end();
  }
}

/**
 * Refuses a runtime role that could read past Row-Level Security: a superuser, BYPASSRLS, or one that owns
 * (directly or through membership) a table, since owners are exempt unless RLS is forced.
 */
export async function assertRoleCannotBypassRls(url: string, label: string) {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [role] = await client<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }[]>`
      select rolname, rolsuper, rolbypassrls from pg_roles where rolname = current_user`;
    const owned = await client<{ relname: string }[]>`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
        and pg_has_role(current_user, c.relowner, 'MEMBER')`;
    const problems = [
      role?.rolsuper && 'is a superuser',
      role?.rolbypassrls && 'has BYPASSRLS',
      owned.length > 0 && `owns ${owned.map((r) => r.relname).join(', ')}`,
    ].filter(Boolean);
    if (problems.length > 0) {
      throw new Error(
        `Refusing to start: the ${label} database role "${role?.rolname}" ${problems.join(' and ')}; ` +
          'it must be NOSUPERUSER NOBYPASSRLS and own nothing (see README, "Database roles").',
      );
    }
  } finally {
    await client.end();
  }
}

export function roleUrl(base: string, role: string, password: string, database: string) {
  const url = new URL(base);
  url.username = role;
  url.password = password;
  url.pathname = `/${database}`;
  return url.toString();
}
