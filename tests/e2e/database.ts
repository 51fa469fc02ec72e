import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { PORT } from './helpers';

/**
 * The e2e server's own database, for the one step the product has no screen for yet (adding an existing
 * account to an organization, which invitations will do). It connects as the platform role for the lookups
 * and as the runtime role, inside the organization's RLS context, for the write: no superuser involved.
 */
export async function addMembership(slug: string, email: string, role: 'member' | 'viewer') {
  const secrets = JSON.parse(
    readFileSync(`.data/server-${PORT}/postgres-secrets.json`, 'utf8'),
  ) as {
    port: number;
    app: string;
    platform: string;
  };
  const url = (role: string, password: string) =>
    `postgres://${role}:${encodeURIComponent(password)}@127.0.0.1:${secrets.port}/tenantry`;
  const platform = postgres(url('tenantry_platform', secrets.platform), { max: 1 });
  const app = postgres(url('tenantry_app', secrets.app), { max: 1, onnotice: () => {} });
  try {
    const [tenant] = await platform`select id from tenants where slug = ${slug}`;
    const [user] = await platform`select id from users where lower(email) = ${email.toLowerCase()}`;
    await app.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${tenant!.id}, true)`;
      await tx`insert into memberships (tenant_id, user_id, role) values (${tenant!.id}, ${user!.id}, ${role})`;
    });
  } finally {
    await Promise.all([platform.end(), app.end()]);
  }
}
