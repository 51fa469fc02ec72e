import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { memberships } from '@/db/schema';
import { withTenant } from '@/db/with-tenant';
import type { CurrentMember } from '@/lib/auth/session';
import { can } from '@/lib/authz/permissions';
import { AppError } from '@/lib/errors/app-error';
import { logger } from '@/lib/log';
import { auditActionLabel } from './actions';
import { csvRow } from './csv';
import { type AuditFilters, filterParams } from './filters';
import { type AuditActor, type AuditRow, describeActors, readAuditBatch } from './queries';
import { recordAudit } from './record';

/** Rows per batch: each batch is one short transaction, and at most one batch is in memory at a time. */
export const EXPORT_BATCH_ROWS = 1_000;

export const EXPORT_HEADER = [
  'time',
  'actor_id',
  'actor',
  'actor_type',
  'action',
  'action_label',
  'target_type',
  'target_id',
  'before',
  'after',
  'metadata',
  'ip',
  'user_agent',
];

type Exporter = Pick<CurrentMember, 'tenant' | 'userId'>;

/** `audit-log-acme-2026-05-01.csv`: the organization and the day, so downloads sort and do not collide. */
export function exportFileName(slug: string, now = new Date()) {
  return `audit-log-${slug}-${now.toISOString().slice(0, 10)}.csv`;
}

/** The export is itself an admin action: recorded, with its filters, before the first row leaves. */
export async function recordExport(
  member: Exporter,
  filters: AuditFilters,
  meta: { ip: string | null; userAgent: string | null },
) {
  await withTenant({ tenantId: member.tenant.id, userId: member.userId }, (tx) =>
    recordAudit(tx, {
      tenantId: member.tenant.id,
      actorUserId: member.userId,
      action: 'audit.exported',
      targetType: 'tenant',
      targetId: member.tenant.id,
      metadata: { filters: filterParams(filters) },
      ...meta,
    }),
  );
}

/**
 * A download can outlive a role change: every batch checks again, in its own transaction, that the member is
 * still active and may read the trail, and the stream fails (the file ends short) the moment they are not.
 */
async function assertStillAllowed(tx: Transaction, member: Exporter) {
  const [row] = await tx
    .select({ role: memberships.role, status: memberships.status })
    .from(memberships)
    .where(and(eq(memberships.tenantId, member.tenant.id), eq(memberships.userId, member.userId)));
  if (row?.status !== 'active' || !can(row.role, 'audit:read'))
    throw new AppError('forbidden', 'Your role no longer allows reading the audit log.');
}

function toCsv(rows: AuditRow[], actors: Map<string, AuditActor>): string {
  let out = '';
  for (const r of rows) {
    const actor = r.actorUserId ? actors.get(r.actorUserId) : undefined;
    out += csvRow([
      r.at,
      r.actorUserId,
      actor ? `${actor.name}${actor.former && !actor.deleted ? ' (former member)' : ''}` : '',
      r.actorType,
      r.action,
      auditActionLabel(r.action),
      r.targetType,
      r.targetId,
      r.before,
      r.after,
      r.metadata,
      r.ip,
      r.userAgent,
    ]);
  }
  return out;
}

/**
 * The filtered trail as CSV, newest first, read in keyset batches of `batchRows`, EACH in its own
 * `withTenant` transaction: a 100,000-row export holds no transaction open for the whole download and never
 * more than one batch in memory. Pull-based, so a slow reader slows the reads instead of filling a buffer.
 * `onBatch` lets a test see the batches.
 */
export function auditExportStream(
  member: Exporter,
  filters: AuditFilters,
  {
    batchRows = EXPORT_BATCH_ROWS,
    onBatch,
  }: { batchRows?: number; onBatch?: (rows: number) => void } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const ctx = { tenantId: member.tenant.id, userId: member.userId };
  // Names of the actors met so far: bounded by the organization's members, not by the rows.
  const actors = new Map<string, AuditActor>();
  let after: [string, string] | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!started) {
            started = true;
            // A byte order mark, so that spreadsheets read the file as UTF-8 (names with accents).
            controller.enqueue(encoder.encode(`\uFEFF${csvRow(EXPORT_HEADER)}`));
            return;
          }
          const rows = await withTenant(ctx, async (tx) => {
            await assertStillAllowed(tx, member);
            const batch = await readAuditBatch(tx, member.tenant.id, filters, after, batchRows);
            const unknown = batch.flatMap((r) =>
              r.actorUserId && !actors.has(r.actorUserId) ? [r.actorUserId] : [],
            );
            for (const [id, actor] of await describeActors(tx, member.tenant.id, unknown))
              actors.set(id, actor);
            return batch;
          });
          onBatch?.(rows.length);
          if (rows.length > 0) {
            const last = rows.at(-1)!;
            after = [last.at, last.id];
            controller.enqueue(encoder.encode(toCsv(rows, actors)));
          }
          if (rows.length < batchRows) controller.close();
        } catch (error) {
          logger().warn({ err: error, tenantId: member.tenant.id }, 'audit export stopped');
          controller.error(error);
        }
      },
    },
    { highWaterMark: 0 },
  );
}
