import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { asSuperuser, asTenant, connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import type { Member, Org } from '../support/orgs';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', () => import('../support/fake-request'));
request.ip = '203.0.113.9';

const tasks = await import('@/lib/tasks/actions');
const { createProject } = await import('@/lib/projects/actions');
const { actionRoute } = await import('@/lib/http/tenant-route');
const { GET: getBoard } = await import('@/app/api/projects/[id]/board/route');
const orgs = await import('../support/orgs');
const { ok } = orgs;

let platform: Sql;
let app: Sql;
let a: Org;
let b: Org;
let member: Member;
let colleague: Member;
let viewer: Member;
let admin: Member;
let projectA: string;
let projectB: string;

const inA = <T>(fn: (tx: Parameters<Parameters<typeof asTenant>[3]>[0]) => Promise<T>) =>
  asTenant(app, a.tenantId, null, fn) as Promise<T>;
const inB = <T>(fn: (tx: Parameters<Parameters<typeof asTenant>[3]>[0]) => Promise<T>) =>
  asTenant(app, b.tenantId, null, fn) as Promise<T>;
const asOwner = () => orgs.actAs(request, a);
const as = (m: Member, org = a) => orgs.actAsMember(request, org, m);

async function columnOf(status: string) {
  const rows = await inA(
    (tx) => tx`
    select id, title, position from tasks where project_id = ${projectA} and status = ${status}
    order by position`,
  );
  return rows as unknown as { id: string; title: string; position: number }[];
}

beforeAll(async () => {
  platform = connect(urls().platform, 2);
  app = connect(urls().app, 2);
  a = await orgs.signUpOrg(platform, 'tasks-a');
  b = await orgs.signUpOrg(platform, 'tasks-b');
  member = await orgs.addMember(platform, a, 'member', 'Mia Member');
  colleague = await orgs.addMember(platform, a, 'member', 'Cole Colleague');
  viewer = await orgs.addMember(platform, a, 'viewer', 'Vic Viewer');
  admin = await orgs.addMember(platform, a, 'admin', 'Ada Admin');
  asOwner();
  projectA = (await ok<{ id: string }>(createProject({ name: 'Board A' }))).id;
  orgs.actAs(request, b);
  projectB = (await ok<{ id: string }>(createProject({ name: 'Board B' }))).id;
});
afterAll(async () => {
  await platform.end();
  await app.end();
});
beforeEach(() => {
  request.pointer = null;
});

describe('tasks', () => {
  it('are created at the end of their column, with an audit event and an outbox event', async () => {
    as(member);
    const first = await ok<{ id: string; position: number }>(
      tasks.createTask({ projectId: projectA, title: 'First' }),
    );
    const second = await ok<{ id: string; position: number; version: number }>(
      tasks.createTask({ projectId: projectA, title: 'Second' }),
    );
    expect(second.position).toBeGreaterThan(first.position);
    expect(second.version).toBe(1);
    const [audit] = await asSuperuser(
      (sql) => sql`
      select action, actor_user_id from audit_events
      where tenant_id = ${a.tenantId} and target_id = ${second.id}`,
    );
    expect(audit).toMatchObject({ action: 'task.created', actor_user_id: member.userId });
    const events = await inA(
      (tx) => tx`
      select name, payload from outbox_events where tenant_id = ${a.tenantId}
      and payload->'task'->>'id' = ${second.id}`,
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.name).toBe('task.created');
    // Small: the event carries the card, not the description; well under Pusher's 10 KB.
    expect(JSON.stringify(events[0]!.payload).length).toBeLessThan(2000);
  });

  it('refuse invalid input with errors by field, and write nothing', async () => {
    as(member);
    const result = await tasks.createTask({
      projectId: projectA,
      title: '   ',
      dueDate: 'next tuesday',
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid', fieldErrors: { title: 'Give the task a title.' } },
    });
    expect(
      (result as { error: { fieldErrors: Record<string, string> } }).error.fieldErrors.dueDate,
    ).toMatch(/date/);
  });

  it('are read-only for viewers, whatever the client sends', async () => {
    as(member);
    const task = await ok<{ id: string; version: number }>(
      tasks.createTask({ projectId: projectA, title: 'Viewer target' }),
    );
    as(viewer);
    for (const attempt of [
      tasks.createTask({ projectId: projectA, title: 'Nope' }),
      tasks.updateTask({ id: task.id, version: task.version, title: 'Nope' }),
      tasks.moveTask({ id: task.id, version: task.version, status: 'done' }),
      tasks.deleteTask({ id: task.id }),
      tasks.addComment({ taskId: task.id, body: 'Nope' }),
    ]) {
      expect(await attempt).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('refuse a stale version with the current task and who changed it; the route answers 409', async () => {
    as(member);
    const task = await ok<{ id: string; version: number }>(
      tasks.createTask({ projectId: projectA, title: 'Contested' }),
    );
    as(colleague);
    await ok(tasks.updateTask({ id: task.id, version: 1, title: 'Colleague’s title' }));
    as(member);
    const stale = await tasks.updateTask({ id: task.id, version: 1, title: 'My title' });
    expect(stale).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: 'Cole Colleague changed this task while you were editing it.',
        current: { title: 'Colleague’s title', version: 2, updatedByName: 'Cole Colleague' },
      },
    });
    const patch = actionRoute(tasks.updateTask);
    const response = await patch(
      new Request(`http://x/api/tasks/${task.id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ version: 1, title: 'Via the API' }),
      }),
      { params: Promise.resolve({ id: task.id }) },
    );
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      error: { code: 'conflict', current: { version: 2, title: 'Colleague’s title' } },
    });
    const [row] = await inA((tx) => tx`select title, version from tasks where id = ${task.id}`);
    expect(row).toEqual({ title: 'Colleague’s title', version: 2 });
  });

  it('let two concurrent moves of one task end with one winner and one conflict', async () => {
    as(member);
    const task = await ok<{ id: string }>(tasks.createTask({ projectId: projectA, title: 'Race' }));
    const results = await Promise.all([
      tasks.moveTask({ id: task.id, version: 1, status: 'in_progress' }),
      tasks.moveTask({ id: task.id, version: 1, status: 'done' }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toMatchObject([{ error: { code: 'conflict' } }]);
    const [row] = await inA((tx) => tx`select version from tasks where id = ${task.id}`);
    expect(row!.version).toBe(2);
  });

  it('place concurrent moves of different tasks into one gap at distinct positions', async () => {
    as(member);
    const make = (title: string, status: 'todo' | 'in_progress' = 'in_progress') =>
      ok<{ id: string; version: number }>(tasks.createTask({ projectId: projectA, title, status }));
    const top = await make('Gap top');
    const bottom = await make('Gap bottom');
    const movers = await Promise.all(
      ['Mover 1', 'Mover 2', 'Mover 3', 'Mover 4'].map((t) => make(t, 'todo')),
    );
    const results = await Promise.all(
      movers.map((m) =>
        tasks.moveTask({
          id: m.id,
          version: m.version,
          status: 'in_progress',
          afterId: top.id,
          beforeId: bottom.id,
        }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const column = await columnOf('in_progress');
    const positions = column.map((t) => t.position);
    expect(new Set(positions).size).toBe(positions.length);
    const titles = column.map((t) => t.title);
    const between = titles.slice(titles.indexOf('Gap top') + 1, titles.indexOf('Gap bottom'));
    expect(between.sort()).toEqual(['Mover 1', 'Mover 2', 'Mover 3', 'Mover 4']);
  });

  it('renumber a column when repeated moves exhaust the gap, keeping the order', async () => {
    as(member);
    const project = await ok<{ id: string }>(createProject({ name: 'Dense' }));
    const make = async (title: string) =>
      ok<{ id: string; version: number }>(tasks.createTask({ projectId: project.id, title }));
    const first = await make('A');
    let last = await make('Z');
    // Each new card goes right after A, halving the gap until it is too small.
    for (let i = 0; i < 40; i++) {
      const card = await make(`card ${i}`);
      await ok(
        tasks.moveTask({
          id: card.id,
          version: card.version,
          status: 'todo',
          afterId: first.id,
          beforeId: last.id,
        }),
      );
      last = { id: card.id, version: card.version + 1 };
    }
    const rows = await inA(
      (tx) => tx`
      select title, position from tasks where project_id = ${project.id} order by position`,
    );
    expect(rows[0]!.title).toBe('A');
    expect(rows.at(-1)!.title).toBe('Z');
    expect(rows.map((r) => r.title).slice(1, 4)).toEqual(['card 39', 'card 38', 'card 37']);
    expect(new Set(rows.map((r) => r.position)).size).toBe(rows.length);
    const [renumbered] = await inA(
      (tx) => tx`
      select count(*)::int as n from outbox_events where name = 'board.renumbered'
      and payload->>'projectId' = ${project.id}`,
    );
    expect(renumbered!.n).toBeGreaterThan(0);
  });

  it('can be deleted by their creator and by admins, not by other members', async () => {
    as(member);
    const mine = await ok<{ id: string }>(tasks.createTask({ projectId: projectA, title: 'Mine' }));
    const another = await ok<{ id: string }>(
      tasks.createTask({ projectId: projectA, title: 'Another' }),
    );
    as(colleague);
    expect(await tasks.deleteTask({ id: mine.id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'You can delete only tasks you created.' },
    });
    as(member);
    await ok(tasks.deleteTask({ id: mine.id }));
    as(admin);
    await ok(tasks.deleteTask({ id: another.id }));
    expect(
      await inA((tx) => tx`select id from tasks where id in (${mine.id}, ${another.id})`),
    ).toHaveLength(0);
  });

  it('never reach another organization’s projects, tasks or members', async () => {
    orgs.actAs(request, b);
    const theirs = await ok<{ id: string }>(
      tasks.createTask({ projectId: projectB, title: 'B secret' }),
    );
    as(member);
    const notFound = { ok: false, error: { code: 'not_found' } };
    expect(await tasks.createTask({ projectId: projectB, title: 'Into B' })).toMatchObject(
      notFound,
    );
    expect(await tasks.updateTask({ id: theirs.id, version: 1, title: 'pwned' })).toMatchObject(
      notFound,
    );
    expect(await tasks.moveTask({ id: theirs.id, version: 1, status: 'done' })).toMatchObject(
      notFound,
    );
    expect(await tasks.deleteTask({ id: theirs.id })).toMatchObject(notFound);
    expect(await tasks.addComment({ taskId: theirs.id, body: 'hi' })).toMatchObject(notFound);
    // B's owner as assignee: not a member here.
    expect(
      await tasks.createTask({ projectId: projectA, title: 'x', assigneeId: b.session.userId }),
    ).toMatchObject({ ok: false, error: { fieldErrors: { assigneeId: expect.any(String) } } });
    // A neighbour id from B is simply not in the column: the card goes to the end.
    const mine = await ok<{ id: string; version: number }>(
      tasks.createTask({ projectId: projectA, title: 'Neighbour probe' }),
    );
    await ok(tasks.moveTask({ id: mine.id, version: 1, status: 'done', afterId: theirs.id }));
    const [row] = await inB((tx) => tx`select title, version from tasks where id = ${theirs.id}`);
    expect(row).toEqual({ title: 'B secret', version: 1 });
    const board = await getBoard(new Request(`http://x/api/projects/${projectB}/board`), {
      params: Promise.resolve({ id: projectB }),
    });
    expect(board.status).toBe(404);
    const malformed = await getBoard(new Request('http://x/api/projects/nope/board'), {
      params: Promise.resolve({ id: 'nope' }),
    });
    expect(malformed.status).toBe(404);
  });

  it('board read returns the project, its cards in order and the active members', async () => {
    as(viewer);
    const response = await getBoard(new Request(`http://x/api/projects/${projectA}/board`), {
      params: Promise.resolve({ id: projectA }),
    });
    expect(response.status).toBe(200);
    const board = (await response.json()) as {
      project: { name: string };
      tasks: { status: string; position: number; title: string }[];
      members: { name: string }[];
    };
    expect(board.project.name).toBe('Board A');
    expect(board.tasks.some((t) => t.title === 'B secret')).toBe(false);
    expect(board.members.map((m) => m.name)).toEqual(
      expect.arrayContaining(['Mia Member', 'Cole Colleague', 'Vic Viewer', 'Ada Admin']),
    );
  });
});

describe('comments', () => {
  it('are written by members, edited only by their author, deleted by their author or an admin', async () => {
    as(member);
    const task = await ok<{ id: string }>(
      tasks.createTask({ projectId: projectA, title: 'Discuss' }),
    );
    const { comment } = await ok<{
      comment: { id: string; version: number; authorName: string | null };
    }>(tasks.addComment({ taskId: task.id, body: 'First thought' }));
    expect(comment.authorName).toBe('Mia Member');
    as(colleague);
    expect(
      await tasks.editComment({ id: comment.id, version: 1, body: 'Rewritten by someone else' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await tasks.deleteComment({ id: comment.id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    as(member);
    const edited = await ok<{ body: string; edited: boolean; version: number }>(
      tasks.editComment({ id: comment.id, version: 1, body: 'Second thought' }),
    );
    expect(edited).toMatchObject({ body: 'Second thought', edited: true, version: 2 });
    expect(await tasks.editComment({ id: comment.id, version: 1, body: 'Stale' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    as(admin);
    await ok(tasks.deleteComment({ id: comment.id }));
    expect(
      await inA((tx) => tx`select id from task_comments where id = ${comment.id}`),
    ).toHaveLength(0);
  });

  it('are counted exactly under concurrent writes, each answer and event with a version that orders it', async () => {
    as(member);
    const task = await ok<{ id: string }>(
      tasks.createTask({ projectId: projectA, title: 'Busy thread' }),
    );
    type Counts = { taskId: string; commentCount: number; commentsVersion: number };
    const added = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        ok<{ comment: { id: string }; counts: Counts }>(
          tasks.addComment({ taskId: task.id, body: `Reply ${i}` }),
        ),
      ),
    );
    // Each transaction read the figures its own commit left: no two alike, none lost.
    expect(added.map((r) => r.counts.commentsVersion).sort((x, y) => x - y)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    for (const { counts } of added) expect(counts.commentCount).toBe(counts.commentsVersion);

    as(admin);
    const removed = await Promise.all(
      added
        .slice(0, 3)
        .map(({ comment }) => ok<{ counts: Counts }>(tasks.deleteComment({ id: comment.id }))),
    );
    expect(removed.map((r) => r.counts.commentsVersion).sort((x, y) => x - y)).toEqual([9, 10, 11]);
    const last = removed.find((r) => r.counts.commentsVersion === 11)!.counts;
    expect(last).toEqual({ taskId: task.id, commentCount: 5, commentsVersion: 11 });

    // The board and the events say the same; the newest event carries the final figure.
    const response = await getBoard(new Request('http://x/'), {
      params: Promise.resolve({ id: projectA }),
    });
    const board = (await response.json()) as { tasks: (Counts & { id: string })[] };
    expect(board.tasks.find((t) => t.id === task.id)).toMatchObject({
      commentCount: 5,
      commentsVersion: 11,
    });
    const events = (await inA(
      (tx) => tx`
      select name, payload from outbox_events
      where name in ('comment.created', 'comment.deleted') and payload->'counts'->>'taskId' = ${task.id}`,
    )) as unknown as { name: string; payload: { counts: Counts } }[];
    expect(events).toHaveLength(11);
    const newest = events.reduce((x, y) =>
      y.payload.counts.commentsVersion > x.payload.counts.commentsVersion ? y : x,
    );
    expect(newest).toMatchObject({ name: 'comment.deleted', payload: { counts: last } });

    // A task deleted with its comments takes them along (the count has no row left to follow).
    await ok(tasks.deleteTask({ id: task.id }));
    expect(
      await inA((tx) => tx`select id from task_comments where task_id = ${task.id}`),
    ).toHaveLength(0);
  });
});
