import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { call, json, sessionCookie } from './http';
import type { AppProcess, PoolerStack } from './stack';

export type CanaryTask = { id: string; title: string; version: number };

/** An organization signed up through one app process, signed in through the other, with canary rows. */
export type Organization = {
  slug: string;
  host: string;
  email: string;
  password: string;
  name: string;
  tenantId: string;
  userId: string;
  /** Every row of this tenant carries it in its name or title; no other tenant's does. */
  canary: string;
  projectId: string;
  tasks: CanaryTask[];
  /** A session signed in through the other app process than the one that signed the organization up. */
  cookie: string;
};

export const PASSWORD = 'violet-harbor-42';

export async function signUp(stack: PoolerStack, through: AppProcess, label: string) {
  const id = randomUUID().slice(0, 8);
  const org = {
    slug: `${label}-${id}`,
    email: `owner-${id}@${label}.example.com`,
    password: PASSWORD,
    name: `Owner of ${label} ${id}`,
  };
  json(
    await call(through, stack.publicHost, '/api/signup', {
      method: 'POST',
      json: {
        organizationName: `${label} ${id}`,
        slug: org.slug,
        name: org.name,
        email: org.email,
        password: org.password,
      },
    }),
  );
  return { ...org, host: `${org.slug}.${stack.publicHost}` };
}

export async function signIn(
  through: AppProcess,
  org: { host: string; email: string; password: string },
) {
  const answer = await call(through, org.host, '/api/login', {
    method: 'POST',
    json: { email: org.email, password: org.password },
  });
  json(answer);
  return sessionCookie(answer);
}

/**
 * One project of `taskCount` tasks, written as the bootstrap superuser (this project creates projects and
 * tasks through server actions only). Titles and the project name carry the tenant's canary.
 */
async function seedCanaries(superuserUrl: string, slug: string, taskCount: number) {
  const sql = postgres(superuserUrl, { max: 1, onnotice: () => {} });
  try {
    return await sql.begin(async (tx) => {
      const [ids] = await tx`
        select t.id as tenant_id, m.user_id from tenants t join memberships m on m.tenant_id = t.id
        where t.slug = ${slug}`;
      const tenantId = ids!.tenant_id as string;
      const userId = ids!.user_id as string;
      const canary = `canary-${slug}`;
      const [project] = await tx`
        insert into projects (tenant_id, name, created_by) values (${tenantId}, ${canary}, ${userId})
        returning id`;
      const tasks = await tx<CanaryTask[]>`
        insert into tasks (tenant_id, project_id, title, status, position, created_by, updated_by)
        select ${tenantId}, ${project!.id}, ${canary} || ' #' || k, 'todo', k * 1024.0, ${userId}, ${userId}
        from generate_series(1, ${taskCount}::int) k
        returning id, title, version`;
      return { tenantId, userId, canary, projectId: project!.id as string, tasks: [...tasks] };
    });
  } finally {
    await sql.end();
  }
}

export async function setUpOrganization(
  stack: PoolerStack,
  label: string,
  signUpThrough: AppProcess,
  signInThrough: AppProcess,
  taskCount: number,
): Promise<Organization> {
  const org = await signUp(stack, signUpThrough, label);
  const cookie = await signIn(signInThrough, org);
  const seeded = await seedCanaries(stack.superuserUrl, org.slug, taskCount);
  return { ...org, ...seeded, cookie };
}
