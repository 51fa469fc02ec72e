import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hash } from '@node-rs/argon2';
import type { Page } from '@playwright/test';
import postgres from 'postgres';
import { PORT, tenantUrl, waitForDashboard } from './helpers';

export type Person = { name: string; email: string; password: string };

/**
 * Adds a member with `role` to an organization, straight into the end-to-end server's database (this project
 * has no invitation flow yet). The server's superuser is used for this seeding only; the app never is.
 */
function superuser() {
  const secrets = JSON.parse(
    readFileSync(`.data/server-${PORT}/postgres-secrets.json`, 'utf8'),
  ) as {
    superuser: string;
    port: number;
  };
  return postgres(`postgres://postgres:${secrets.superuser}@127.0.0.1:${secrets.port}/tenantry`, {
    max: 1,
    onnotice: () => {},
  });
}

export async function tenantIdOf(slug: string): Promise<string> {
  const sql = superuser();
  try {
    const [row] = await sql`select id from tenants where slug = ${slug}`;
    return row!.id as string;
  } finally {
    await sql.end();
  }
}

export async function addMember(
  slug: string,
  role: 'admin' | 'member' | 'viewer',
  name: string,
): Promise<Person> {
  const sql = superuser();
  const person = {
    name,
    email: `${role}-${randomUUID().slice(0, 8)}@example.com`,
    password: 'amber-meadow-58',
  };
  try {
    await sql.begin(async (tx) => {
      const [user] = await tx`
        insert into users (email, name, password_hash, email_verified_at)
        values (${person.email}, ${name}, ${await hash(person.password)}, now()) returning id`;
      await tx`
        insert into memberships (tenant_id, user_id, role)
        select id, ${user!.id}, ${role} from tenants where slug = ${slug}`;
    });
  } finally {
    await sql.end();
  }
  return person;
}

export async function signIn(page: Page, slug: string, person: Person) {
  await page.goto(tenantUrl(slug, '/login'));
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitForDashboard(page, slug, person.name);
}
