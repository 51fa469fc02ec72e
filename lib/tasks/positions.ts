import 'server-only';
import { and, asc, desc, eq, gt, lt, ne, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { projects, tasks } from '@/db/schema';
import type { TaskStatus } from '@/db/schema/tasks';
import { notFoundError } from '@/lib/errors/app-error';

const STEP = 1024;
// Below this gap, halving again would soon lose precision: the column is renumbered instead.
const MIN_GAP = 1e-6;

type Column = { tenantId: string; projectId: string; status: TaskStatus };

/**
 * Serializes position changes within one project: two moves that read the same neighbours would otherwise
 * compute the same midpoint. Also the project's existence check for the task's writes.
 */
export async function lockProjectOrThrow(
  tx: Transaction,
  { tenantId, projectId }: { tenantId: string; projectId: string },
) {
  const [project] = await tx
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.tenantId, tenantId), eq(projects.id, projectId)))
    .for('no key update');
  if (!project) throw notFoundError('This project');
}

const inColumn = (column: Column, excludeId: string | null) =>
  and(
    eq(tasks.tenantId, column.tenantId),
    eq(tasks.projectId, column.projectId),
    eq(tasks.status, column.status),
    excludeId ? ne(tasks.id, excludeId) : undefined,
  );

async function positionOf(
  tx: Transaction,
  column: Column,
  id: string | null,
  excludeId: string | null,
) {
  if (!id || id === excludeId) return null;
  const [row] = await tx
    .select({ position: tasks.position })
    .from(tasks)
    .where(and(inColumn(column, excludeId), eq(tasks.id, id)));
  return row?.position ?? null;
}

async function neighbourPosition(
  tx: Transaction,
  column: Column,
  excludeId: string | null,
  direction: 'after' | 'before',
  from: number | null,
) {
  const [row] = await tx
    .select({ position: tasks.position })
    .from(tasks)
    .where(
      and(
        inColumn(column, excludeId),
        from === null
          ? undefined
          : direction === 'after'
            ? gt(tasks.position, from)
            : lt(tasks.position, from),
      ),
    )
    .orderBy(direction === 'after' ? asc(tasks.position) : desc(tasks.position))
    .limit(1);
  return row?.position ?? null;
}

/**
 * Spreads a column's cards STEP apart again, in one statement (the unique constraint is checked at its end).
 * The moving card is renumbered too: left where it was, it could collide with a new multiple of STEP.
 */
async function renumberColumn(tx: Transaction, column: Column) {
  await tx.execute(sql`
    update ${tasks} t set position = n.rank * ${STEP}
    from (
      select id, row_number() over (order by position) as rank
      from ${tasks}
      where tenant_id = ${column.tenantId} and project_id = ${column.projectId}
        and status = ${column.status}
    ) n
    where t.tenant_id = ${column.tenantId} and t.id = n.id`);
}

/**
 * Where a card goes when dropped between `afterId` (the card above it) and `beforeId` (the card below), from
 * the positions as they are now. A neighbour that has since left the column is ignored; with neither, the
 * card goes to the end. The caller holds the project lock. Returns whether other cards were renumbered.
 */
export async function placeInColumn(
  tx: Transaction,
  column: Column,
  {
    afterId = null,
    beforeId = null,
    excludeId = null,
  }: {
    afterId?: string | null;
    beforeId?: string | null;
    excludeId?: string | null;
  },
): Promise<{ position: number; renumbered: boolean }> {
  const compute = async () => {
    const after = await positionOf(tx, column, afterId, excludeId);
    if (after !== null) {
      return {
        lower: after,
        upper: await neighbourPosition(tx, column, excludeId, 'after', after),
      };
    }
    const before = await positionOf(tx, column, beforeId, excludeId);
    if (before !== null) {
      return {
        lower: await neighbourPosition(tx, column, excludeId, 'before', before),
        upper: before,
      };
    }
    return { lower: await neighbourPosition(tx, column, excludeId, 'before', null), upper: null };
  };
  let { lower, upper } = await compute();
  let renumbered = false;
  if (lower !== null && upper !== null && upper - lower < MIN_GAP) {
    await renumberColumn(tx, column);
    renumbered = true;
    ({ lower, upper } = await compute());
  }
  if (lower === null && upper === null) return { position: STEP, renumbered };
  if (lower === null) return { position: (upper as number) - STEP, renumbered };
  if (upper === null) return { position: lower + STEP, renumbered };
  return { position: (lower + upper) / 2, renumbered };
}
