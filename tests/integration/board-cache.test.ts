import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { asSuperuser, asTenant, connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import type { Member, Org } from '../support/orgs';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', () => import('../support/fake-request'));
// Counts the boards built by the database, to tell a board served from the cache from a board read again.
const built = vi.hoisted(() => ({ count: 0 }));
vi.mock('@/db/statements/board', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/db/statements/board')>();
  return {
    ...original,
    boardJsonSql: (...args: Parameters<typeof original.boardJsonSql>) => {
      built.count += 1;
      return original.boardJsonSql(...args);
    },
  };
});

request.ip = '203.0.113.9';

const tasks = await import('@/lib/tasks/actions');
const { createProject, renameProject, deleteProject } = await import('@/lib/projects/actions');
const { GET: getBoard } = await import('@/app/api/projects/[id]/board/route');
const orgs = await import('../support/orgs');
const { ok } = orgs;

type BoardBody = {
  project: { name: string };
  tasks: {
    id: string;
    title: string;
    status: string;
    assigneeName: string | null;
    commentCount: number;
  }[];
  members: { id: string; name: string }[];
};

let platform: Sql;
let app: Sql;
let a: Org;
let b: Org;
let member: Member;
let projectA: string;
let projectB: string;

const as = (m: Member, org = a) => orgs.actAsMember(request, org, m);

/** Reads the board through the route, and says whether the database built it for this read. */
async function readBoard(projectId = projectA) {
  const before = built.count;
  const response = await getBoard(new Request(`http://x/api/projects/${projectId}/board`), {
    params: Promise.resolve({ id: projectId }),
  });
  const body = response.status === 200 ? ((await response.json()) as BoardBody) : null;
  return { status: response.status, body, built: built.count > before };
}

/** A board read twice with nothing changed in between: the second comes from the cache. */
async function warm(projectId = projectA) {
  await readBoard(projectId);
  const again = await readBoard(projectId);
  expect(again.built).toBe(false);
  return again.body!;
}

/** Raw SQL as the runtime role in A's context: what another process of the app could run. */
const inA = <T>(
  fn: (tx: Parameters<Parameters<typeof asTenant>[3]>[0]) => Promise<T>,
  userId: string | null = null,
) => asTenant(app, a.tenantId, userId, fn) as Promise<T>;

async function revisionOf(tenantId: string) {
  const [row] = await asTenant(
    app,
    tenantId,
    null,
    (tx) => tx`select coalesce(sum(revision), 0)::int8 as r from tenant_revisions`,
  );
  return BigInt(row!.r as string);
}

beforeAll(async () => {
  platform = connect(urls().platform, 2);
  app = connect(urls().app, 2);
  a = await orgs.signUpOrg(platform, 'cache-a');
  b = await orgs.signUpOrg(platform, 'cache-b');
  member = await orgs.addMember(platform, a, 'member', 'Mona Member');
  orgs.actAs(request, a);
  projectA = (await ok<{ id: string }>(createProject({ name: 'Cached board' }))).id;
  orgs.actAs(request, b);
  projectB = (await ok<{ id: string }>(createProject({ name: 'B board' }))).id;
});
afterAll(async () => {
  await platform.end();
  await app.end();
});
beforeEach(() => {
  as(member);
});

describe('the board cache', () => {
  it('serves an unchanged board without building it again, and shows every change on the next read', async () => {
    await warm();
    const task = await ok<{ id: string; version: number }>(
      tasks.createTask({ projectId: projectA, title: 'Fresh card' }),
    );
    let read = await readBoard();
    expect(read.built).toBe(true);
    expect(read.body!.tasks.map((t) => t.title)).toContain('Fresh card');

    await warm();
    await ok(tasks.moveTask({ id: task.id, version: task.version, status: 'done' }));
    read = await readBoard();
    expect(read.body!.tasks.find((t) => t.id === task.id)?.status).toBe('done');

    await warm();
    const { comment } = await ok<{ comment: { id: string } }>(
      tasks.addComment({ taskId: task.id, body: 'Hi' }),
    );
    read = await readBoard();
    expect(read.body!.tasks.find((t) => t.id === task.id)?.commentCount).toBe(1);

    await warm();
    await ok(tasks.deleteComment({ id: comment.id }));
    read = await readBoard();
    expect(read.body!.tasks.find((t) => t.id === task.id)?.commentCount).toBe(0);

    await warm();
    orgs.actAs(request, a);
    await ok(renameProject({ id: projectA, version: 1, name: 'Renamed board' }));
    as(member);
    read = await readBoard();
    expect(read.body!.project.name).toBe('Renamed board');

    await warm();
    await ok(tasks.deleteTask({ id: task.id }));
    read = await readBoard();
    expect(read.body!.tasks.some((t) => t.id === task.id)).toBe(false);
  });

  it('sees changes made outside the actions, as another process of the app would make them', async () => {
    const task = await ok<{ id: string }>(
      tasks.createTask({ projectId: projectA, title: 'Written elsewhere' }),
    );
    await warm();
    // The runtime role straight through SQL, in A's context: no app code of this process knows of it.
    await inA(
      (tx) => tx`
      update tasks set title = 'Changed elsewhere', version = version + 1 where id = ${task.id}`,
      member.userId,
    );
    expect((await readBoard()).body!.tasks.find((t) => t.id === task.id)?.title).toBe(
      'Changed elsewhere',
    );

    // A new member appears in the member list and the assignee filter.
    await warm();
    const newcomer = await orgs.addMember(platform, a, 'viewer', 'Nia Newcomer');
    expect((await readBoard()).body!.members.map((m) => m.name)).toContain('Nia Newcomer');

    // A member's new name, which lives outside any tenant, shows on the cards assigned to them.
    await inA(
      (tx) => tx`
      update tasks set assignee_id = ${member.userId} where id = ${task.id}`,
      member.userId,
    );
    expect((await readBoard()).body!.tasks.find((t) => t.id === task.id)?.assigneeName).toBe(
      'Mona Member',
    );
    // No flow renames a user or ends a membership yet: the superuser stands in for the process that will.
    await warm();
    await asSuperuser(
      (sql) => sql`
      update users set name = 'Mona Renamed' where id = ${member.userId}`,
    );
    const read = await readBoard();
    expect(read.body!.tasks.find((t) => t.id === task.id)?.assigneeName).toBe('Mona Renamed');
    expect(read.body!.members.map((m) => m.name)).toContain('Mona Renamed');

    // A membership that ends leaves the member list.
    await warm();
    await asSuperuser(
      (sql) => sql`
      update memberships set status = 'deactivated'
      where tenant_id = ${a.tenantId} and user_id = ${newcomer.userId}`,
    );
    expect((await readBoard()).body!.members.map((m) => m.name)).not.toContain('Nia Newcomer');
  });

  it('moves a revision once per transaction, only at commit, and never for a rollback', async () => {
    const before = await revisionOf(a.tenantId);
    await inA(async (tx) => {
      for (const title of ['One', 'Two', 'Three']) {
        await tx`insert into tasks (tenant_id, project_id, title, status, position, created_by)
          values (${a.tenantId}, ${projectA}, ${title}, 'todo', ${Math.random() * 1e6 + 1e6}, ${member.userId})`;
      }
    }, member.userId);
    expect(await revisionOf(a.tenantId)).toBe(before + 1n);
    await inA(async (tx) => {
      await tx`update tasks set title = title || '!' where project_id = ${projectA}`;
      throw new Error('roll back');
    }, member.userId).catch(() => {});
    expect(await revisionOf(a.tenantId)).toBe(before + 1n);
  });

  it('never serves one organization a board cached for another', async () => {
    const theirs = await warm(projectA);
    expect(theirs.project.name).toBeTruthy();
    // B's member asks B's host for A's project, which is cached: not found, byte for byte as a missing one.
    orgs.actAs(request, b);
    const crossed = await readBoard(projectA);
    expect(crossed.status).toBe(404);
    const missing = await readBoard('00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    // And A's revision moving does not matter to B's own cached board, nor B's to A's.
    await warm(projectB);
    as(member);
    await ok(tasks.createTask({ projectId: projectA, title: 'Only in A' }));
    orgs.actAs(request, b);
    const own = await readBoard(projectB);
    expect(own.built).toBe(false);
    expect(own.body!.tasks.some((t) => t.title === 'Only in A')).toBe(false);
  });

  it('does not let the runtime role write or read past its own revision', async () => {
    await expect(
      inA(
        (tx) => tx`
        update tenant_revisions set revision = revision + 1000 where tenant_id = ${a.tenantId}`,
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      inA(
        (tx) => tx`
        insert into tenant_revisions (tenant_id, revision) values (${b.tenantId}, 1)`,
      ),
    ).rejects.toThrow(/permission denied/);
    const seen = await inA((tx) => tx`select tenant_id from tenant_revisions`);
    expect(seen.map((r) => r.tenant_id)).not.toContain(b.tenantId);
  });

  it('forgets a deleted project: its board is not found', async () => {
    orgs.actAs(request, a);
    const doomed = (await ok<{ id: string }>(createProject({ name: 'Doomed' }))).id;
    await warm(doomed);
    await ok(deleteProject({ id: doomed }));
    expect((await readBoard(doomed)).status).toBe(404);
  });

  it('counts the dashboard’s projects from the cache, and a project made by another process shows at once', async () => {
    const { getCurrentMember } = await import('@/lib/auth/session');
    const { countProjects } = await import('@/lib/projects/queries');
    const reader = async () => (await getCurrentMember())!;
    const before = await countProjects(await reader());
    expect(before).toBeGreaterThan(0);
    // Served again at the same revision: the same figure, from memory.
    expect(await countProjects(await reader())).toBe(before);
    // Another process's insert, as raw SQL under RLS: the revision moves, and the next count reads again.
    await inA(
      (tx) =>
        tx`insert into projects (tenant_id, name, created_by) values (${a.tenantId}, 'Raw', ${a.session.userId})`,
      a.session.userId,
    );
    expect(await countProjects(await reader())).toBe(before + 1);
    // Never another organization's figure: B's count is B's own.
    orgs.actAs(request, b);
    expect(await countProjects(await reader())).toBe(1);
  });
});
