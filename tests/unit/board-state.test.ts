import { describe, expect, it } from 'vitest';
import {
  applyCommentCounts,
  dropTarget,
  matchesFilter,
  mergeCard,
  mergeRefetchedBoard,
  mergeRefetchedDetail,
  removeTask,
  upsertTask,
} from '@/components/board/board-state';
import { createEventDeduper } from '@/lib/realtime/event-filter';
import type { Board, TaskCard, TaskComment, TaskDetail } from '@/lib/tasks/queries';

const card = (id: string, overrides: Partial<TaskCard> = {}): TaskCard => ({
  id,
  projectId: 'p1',
  title: `Task ${id}`,
  status: 'todo',
  position: 1024,
  assigneeId: null,
  assigneeName: null,
  dueDate: null,
  createdBy: null,
  updatedByName: null,
  commentCount: 0,
  commentsVersion: 0,
  version: 1,
  updatedAt: '2026-11-23T10:00:00.000Z',
  ...overrides,
});
const board = (tasks: TaskCard[]): Board => ({
  project: { id: 'p1', name: 'P' },
  tasks,
  members: [],
});

describe('applying task updates on the board', () => {
  it('takes only a newer version, so reordered events never undo a later state', () => {
    const b = board([card('a', { title: 'v3', version: 3 })]);
    expect(upsertTask(b, card('a', { title: 'v2', version: 2 }), new Set()).tasks[0]!.title).toBe(
      'v3',
    );
    expect(upsertTask(b, card('a', { title: 'v3 again', version: 3 }), new Set())).toBe(b);
    expect(upsertTask(b, card('a', { title: 'v4', version: 4 }), new Set()).tasks[0]!.title).toBe(
      'v4',
    );
  });

  it('adds new cards, ignores other projects’ and never resurrects a deleted one', () => {
    const b = board([]);
    expect(upsertTask(b, card('a'), new Set()).tasks).toHaveLength(1);
    expect(upsertTask(b, card('a', { projectId: 'p2' }), new Set()).tasks).toHaveLength(0);
    const deleted = new Set(['a']);
    expect(
      upsertTask(removeTask(board([card('a')]), 'a'), card('a', { version: 9 }), deleted).tasks,
    ).toHaveLength(0);
  });
});

describe('comment counts on the board', () => {
  const counts = (commentCount: number, commentsVersion: number) => ({
    taskId: 'a',
    commentCount,
    commentsVersion,
  });

  it('take only a newer count, so an event and this tab’s own answer for one comment count it once', () => {
    let b = board([card('a', { commentCount: 2, commentsVersion: 2 })]);
    b = applyCommentCounts(b, counts(3, 3)); // this tab's answer
    b = applyCommentCounts(b, counts(3, 3)); // the event for the same comment
    expect(b.tasks[0]).toMatchObject({ commentCount: 3, commentsVersion: 3 });
    // A deletion's event overtaken by the next addition's: the older one changes nothing.
    b = applyCommentCounts(b, counts(3, 5));
    expect(applyCommentCounts(b, counts(2, 4))).toBe(b);
    expect(applyCommentCounts(b, counts(9, 9)).tasks).toHaveLength(1);
    expect(applyCommentCounts(b, { ...counts(9, 9), taskId: 'gone' })).toBe(b);
  });

  it('move independently of the task’s own version', () => {
    const held = card('a', { title: 'Renamed', version: 4, commentCount: 1, commentsVersion: 1 });
    // A rename read before the latest comment, and a comment read before the rename.
    const olderComments = card('a', { title: 'Renamed again', version: 5, commentsVersion: 0 });
    expect(mergeCard(held, olderComments)).toMatchObject({
      title: 'Renamed again',
      version: 5,
      commentCount: 1,
      commentsVersion: 1,
    });
    const olderTask = card('a', { title: 'Old', version: 3, commentCount: 2, commentsVersion: 2 });
    expect(mergeCard(held, olderTask)).toMatchObject({
      title: 'Renamed',
      version: 4,
      commentCount: 2,
      commentsVersion: 2,
    });
    expect(mergeCard(held, card('a', { version: 4, commentsVersion: 1 }))).toBe(held);
    expect(upsertTask(board([held]), olderComments, new Set()).tasks[0]!.commentCount).toBe(1);
  });
});

describe('a refetched board', () => {
  it('keeps what events brought while it was in flight, and drops what it no longer has', () => {
    const held = board([
      card('moved', { status: 'done', version: 3 }), // an event newer than the server's read
      card('commented', { commentCount: 2, commentsVersion: 2 }),
      card('created', { version: 1 }), // created by an event after the refetch began
      card('stale', { version: 1 }), // deleted while this tab was offline
    ]);
    const fresh: Board = {
      project: { id: 'p1', name: 'Renamed project' },
      tasks: [
        card('moved', { status: 'in_progress', version: 2 }),
        card('commented', { title: 'New title', version: 2, commentCount: 1, commentsVersion: 1 }),
        card('other', { version: 1 }),
        card('deleted-here', { version: 1 }),
      ],
      members: [{ id: 'u1', name: 'Ann' }],
    };
    const merged = mergeRefetchedBoard(
      held,
      fresh,
      new Set(['deleted-here']),
      (id) => id === 'created',
    );
    const byId = Object.fromEntries(merged.tasks.map((t) => [t.id, t]));
    expect(Object.keys(byId).sort()).toEqual(['commented', 'created', 'moved', 'other']);
    expect(byId.moved).toMatchObject({ status: 'done', version: 3 });
    expect(byId.commented).toMatchObject({ title: 'New title', commentCount: 2 });
    expect(merged.project.name).toBe('Renamed project');
    expect(merged.members).toEqual([{ id: 'u1', name: 'Ann' }]);
  });

  it('is taken as it is when nothing is held', () => {
    const fresh = board([card('a'), card('b')]);
    expect(mergeRefetchedBoard(undefined, fresh, new Set(['b']), () => true).tasks).toEqual([
      card('a'),
    ]);
  });
});

describe('refetched task details', () => {
  const comment = (id: string, version = 1, minute = 0): TaskComment => ({
    id,
    taskId: 'a',
    authorId: 'u1',
    authorName: 'Ann',
    body: `Comment ${id} v${version}`,
    version,
    createdAt: `2026-11-23T10:0${minute}:00.000Z`,
    edited: version > 1,
  });
  const detail = (comments: TaskComment[], overrides: Partial<TaskCard> = {}): TaskDetail => ({
    ...card('a', overrides),
    description: 'Details',
    createdByName: 'Ann',
    createdAt: '2026-11-23T09:00:00.000Z',
    comments,
  });

  it('keep what arrived while the fetch was in flight, and nothing the server deleted since', () => {
    const startedAt = 100;
    const news = new Map([
      ['late', { taskId: 'a', comment: comment('late', 1, 5), at: 150 }], // after the read began
      ['edited', { taskId: 'a', comment: comment('edited', 3, 1), at: 50 }],
      ['gone', { taskId: 'a', comment: null, at: 120 }],
      ['old', { taskId: 'a', comment: comment('old', 1, 2), at: 20 }], // deleted while offline
      ['elsewhere', { taskId: 'b', comment: { ...comment('elsewhere'), taskId: 'b' }, at: 150 }],
    ]);
    const fresh = detail([comment('edited', 2, 1), comment('gone', 1, 3), comment('kept', 1, 4)]);
    const merged = mergeRefetchedDetail(fresh, undefined, news, startedAt);
    expect(merged.comments.map((c) => [c.id, c.version])).toEqual([
      ['edited', 3],
      ['kept', 1],
      ['late', 1],
    ]);
    expect(merged.description).toBe('Details');
  });

  it('take the board’s card when it is newer, and keep their own fields otherwise', () => {
    const fresh = detail([], { title: 'Old title', version: 2 });
    const newer = card('a', {
      title: 'New title',
      version: 3,
      commentCount: 4,
      commentsVersion: 4,
    });
    expect(mergeRefetchedDetail(fresh, newer, new Map(), 0)).toMatchObject({
      title: 'New title',
      version: 3,
      commentCount: 4,
      description: 'Details',
    });
    const older = card('a', { title: 'Older', version: 1 });
    expect(mergeRefetchedDetail(fresh, older, new Map(), 0).title).toBe('Old title');
  });
});

describe('dropping a card', () => {
  const tasks = [
    card('a', { position: 1024 }),
    card('b', { position: 2048 }),
    card('c', { position: 3072 }),
    card('x', { status: 'done', position: 1024 }),
  ];

  it('names the neighbours it landed between, without counting itself', () => {
    expect(dropTarget(tasks, 'x', 'todo', 1)).toEqual({
      status: 'todo',
      afterId: 'a',
      beforeId: 'b',
      position: 1536,
    });
    expect(dropTarget(tasks, 'a', 'todo', 2)).toMatchObject({
      afterId: 'c',
      beforeId: null,
      position: 4096,
    });
    expect(dropTarget(tasks, 'x', 'todo', 0)).toMatchObject({
      afterId: null,
      beforeId: 'a',
      position: 0,
    });
    expect(dropTarget(tasks, 'a', 'in_progress', 5)).toMatchObject({
      afterId: null,
      beforeId: null,
    });
  });

  it('filters by title and assignee', () => {
    const t = card('a', { title: 'Write the launch post', assigneeId: 'u1' });
    expect(matchesFilter(t, { assignee: '', search: 'LAUNCH' })).toBe(true);
    expect(matchesFilter(t, { assignee: 'u2', search: '' })).toBe(false);
    expect(matchesFilter(t, { assignee: 'unassigned', search: '' })).toBe(false);
    expect(matchesFilter(card('b'), { assignee: 'unassigned', search: '' })).toBe(true);
  });
});

describe('the event deduper', () => {
  it('lets each id through once and forgets the oldest beyond its capacity', () => {
    const first = createEventDeduper(2);
    expect([first('1'), first('1'), first('2'), first('3'), first('1')]).toEqual([
      true,
      false,
      true,
      true,
      true,
    ]);
  });
});
