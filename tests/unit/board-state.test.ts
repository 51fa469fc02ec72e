import { describe, expect, it } from 'vitest';
import { dropTarget, matchesFilter, removeTask, upsertTask } from '@/components/board/board-state';
import { createEventDeduper } from '@/lib/realtime/event-filter';
import type { Board, TaskCard } from '@/lib/tasks/queries';

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
