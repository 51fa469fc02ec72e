import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import type { Org } from '../support/orgs';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', async () => ({
  ...(await import('../support/fake-request')),
  signIn: async () => '/',
}));
// Counts argon2 work, to prove a bogus reset link costs none.
const hashing = vi.hoisted(() => ({ calls: 0 }));
vi.mock('@/lib/auth/password', async (original) => {
  const real = await original<typeof import('@/lib/auth/password')>();
  return {
    ...real,
    hashPassword: (password: string) => {
      hashing.calls++;
      return real.hashPassword(password);
    },
  };
});
request.ip = '203.0.113.61';

const orgs = await import('../support/orgs');
const { createProject, renameProject } = await import('@/lib/projects/actions');
const { createTask, updateTask, addComment, editComment } = await import('@/lib/tasks/actions');
const { resetPassword } = await import('@/lib/account/actions');
const { withPlatform } = await import('@/db/with-platform');
const { actionRoute } = await import('@/lib/http/tenant-route');
const signupRoute = await import('@/app/api/signup/route');
const loginRoute = await import('@/app/api/login/route');

let platform: Sql;
let org: Org;
beforeAll(async () => {
  platform = connect(urls().platform, 2);
  org = await orgs.signUpOrg(platform, 'malformed');
});
afterAll(() => platform.end());

const postJson = (route: { POST: (r: Request) => Promise<Response> }, body: unknown) =>
  route.POST(
    new Request('http://x/api', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );

const refusedField = (field: string) => ({
  ok: false,
  error: { code: 'invalid', fieldErrors: { [field]: expect.any(String) } },
});

describe('malformed input is a 400 next to its field, never a 500', () => {
  it('refuses a NUL byte in every kind of text field', async () => {
    orgs.actAs(request, org);
    expect(await createProject({ name: 'a\u0000b' })).toMatchObject(refusedField('name'));
    expect(await createProject({ name: 'ok', description: '\u0000' })).toMatchObject(
      refusedField('description'),
    );
    const project = await orgs.ok(createProject({ name: 'Valid' }));
    expect(await createTask({ projectId: project.id, title: 'x\u0000' })).toMatchObject(
      refusedField('title'),
    );
    const task = await orgs.ok(createTask({ projectId: project.id, title: 'Valid task' }));
    expect(await addComment({ taskId: task.id, body: '\u0000' })).toMatchObject(
      refusedField('body'),
    );

    request.host = `${org.slug}.localhost:3000`;
    request.pointer = null;
    const login = await postJson(loginRoute, { email: 'a\u0000@example.test', password: 'x' });
    expect(login.status).toBe(400);
    expect((await login.json()).error.fieldErrors.email).toMatch(/not allowed/);
    request.host = 'localhost:3000';
    for (const field of ['organizationName', 'name']) {
      const signup = await postJson(signupRoute, {
        organizationName: 'Org',
        slug: 'nul-check',
        name: 'Name',
        email: 'nul@example.test',
        password: 'violet-harbor-42',
        [field]: 'Bad\u0000name',
      });
      expect(signup.status).toBe(400);
      expect((await signup.json()).error.fieldErrors).toHaveProperty(field);
    }
  });

  it('refuses versions past PostgreSQL’s integer range and dates outside 1900–9999', async () => {
    orgs.actAs(request, org);
    const project = await orgs.ok(createProject({ name: 'Versions' }));
    const task = await orgs.ok(createTask({ projectId: project.id, title: 'Versioned' }));
    const { comment } = await orgs.ok(addComment({ taskId: task.id, body: 'Hello' }));
    const huge = 2_147_483_648;
    expect(await renameProject({ id: project.id, name: 'x', version: huge })).toMatchObject(
      refusedField('version'),
    );
    expect(await editComment({ id: comment.id, version: huge, body: 'x' })).toMatchObject(
      refusedField('version'),
    );
    const patch = await actionRoute(updateTask)(
      new Request(`http://x/api/tasks/${task.id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ version: huge, title: 'x' }),
      }),
      { params: Promise.resolve({ id: task.id }) },
    );
    expect(patch.status).toBe(400);
    expect((await patch.json()).error.fieldErrors).toHaveProperty('version');
    for (const dueDate of ['0000-01-01', '1899-12-31', '10000-01-01']) {
      expect(await updateTask({ id: task.id, version: 1, dueDate })).toMatchObject(
        refusedField('dueDate'),
      );
    }
    expect(await updateTask({ id: task.id, version: 1, dueDate: '9999-12-31' })).toMatchObject({
      ok: true,
      data: { dueDate: '9999-12-31' },
    });
  });
});

describe('password reset from a link', () => {
  it('looks at the token before hashing anything, and budgets attempts per client address', async () => {
    request.host = `${org.slug}.localhost:3000`;
    request.pointer = null;
    request.ip = '203.0.113.62';
    const form = {
      token: 'b'.repeat(43),
      password: 'violet-harbor-99',
      confirm: 'violet-harbor-99',
    };
    const before = hashing.calls;
    for (let i = 0; i < 20; i++) {
      expect(await resetPassword(form)).toMatchObject({
        ok: false,
        error: { code: 'invalid', fieldErrors: { password: expect.stringMatching(/expired/) } },
      });
    }
    expect(hashing.calls).toBe(before);
    expect(await resetPassword(form)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    // Another address still gets its own budget.
    request.ip = '203.0.113.63';
    expect(await resetPassword(form)).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });
});

describe('the platform path', () => {
  it('logs its reason on every use', async () => {
    const { configureDatabase, databaseConfig } = await import('@/db/client');
    const original = databaseConfig();
    const lines: Record<string, unknown>[] = [];
    configureDatabase({
      ...original,
      logger: { info: (fields, msg) => lines.push({ msg, ...fields }), warn: () => {} },
    });
    try {
      await withPlatform('slug-availability', async () => null);
      await withPlatform('rate-limit', async () => null);
      expect(lines).toEqual([
        { msg: 'platform access', reason: 'slug-availability' },
        { msg: 'platform access', reason: 'rate-limit' },
      ]);
    } finally {
      configureDatabase(original);
    }
  });
});
