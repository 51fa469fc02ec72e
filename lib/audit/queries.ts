import 'server-only';
import { and, asc, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { auditEvents, memberships, users } from '@/db/schema';
import { AppError } from '@/lib/errors/app-error';
import { decodeCursor, encodeCursor } from '@/lib/pagination/cursor';
import { type AuditFilters, dayRange } from './filters';

export const AUDIT_PAGE_SIZE = 50;

export type AuditRow = {
  id: string;
  /** The exact timestamp (microseconds, UTC, ISO 8601): the keyset cursor, never rounded to milliseconds. */
  at: string;
  createdAt: Date;
  actorUserId: string | null;
  actorType: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, unknown>;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ip: string | null;
  userAgent: string | null;
};

/**
 * The conditions of a filtered read, tenant first: with the equality filters they are a prefix of one of
 * migration 0032's indexes (tenant + created, + action, + actor, + target type and id), each ordered
 * (created_at desc, id desc), so a page is an index range scan of `limit + 1` rows however large the trail.
 * The keyset condition is a row comparison, which a B-tree scan takes as its start.
 */
function conditions(tenantId: string, filters: AuditFilters, after: [string, string] | null) {
  const { since, until } = dayRange(filters);
  const where: (SQL | undefined)[] = [
    eq(auditEvents.tenantId, tenantId),
    filters.actor ? eq(auditEvents.actorUserId, filters.actor) : undefined,
    filters.action ? eq(auditEvents.action, filters.action) : undefined,
    filters.targetType ? eq(auditEvents.targetType, filters.targetType) : undefined,
    filters.targetId ? eq(auditEvents.targetId, filters.targetId) : undefined,
    since ? gte(auditEvents.createdAt, since) : undefined,
    until ? lt(auditEvents.createdAt, until) : undefined,
    after
      ? sql`(${auditEvents.createdAt}, ${auditEvents.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)`
      : undefined,
  ];
  return and(...where);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EXACT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** `at` as `exactTime` prints it, and a moment that exists (PostgreSQL would refuse 2026-02-30 with an error). */
function isExactTime(at: string) {
  if (!EXACT_TIME.test(at)) return false;
  const date = new Date(at);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 19) === at.slice(0, 19);
}

/** A timestamp to the microsecond in UTC, ISO 8601: PostgreSQL reads it back exactly, JavaScript parses it. */
const exactTime = sql<string>`to_char(${auditEvents.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The cursor's key, checked: a forged one is the same 400 as a garbled one, never a database error. */
export function decodeAuditCursor(raw: string | undefined): [string, string] | null {
  const key = decodeCursor(raw, 2);
  if (!key) return null;
  const [at, id] = key;
  const valid =
    typeof at === 'string' && isExactTime(at) && typeof id === 'string' && UUID.test(id);
  if (!valid)
    throw new AppError('invalid', 'This page link is not valid. Start again from the first page.', {
      fieldErrors: { cursor: 'This page link is not valid. Start again from the first page.' },
    });
  return [at as string, id as string];
}

/**
 * Newest first, spelled exactly as migration 0032's indexes are ordered (DESC NULLS LAST): a plain DESC means
 * NULLS FIRST, which PostgreSQL does not match to those indexes (NOT NULL columns or not) and answers with a
 * sort of every row of the tenant.
 */
const NEWEST_FIRST = [
  sql`${auditEvents.createdAt} desc nulls last`,
  sql`${auditEvents.id} desc nulls last`,
];

/** The statement of one batch of entries, newest first, after `after` (exclusive). */
export function auditBatchQuery(
  tx: Transaction,
  tenantId: string,
  filters: AuditFilters,
  after: [string, string] | null,
  limit: number,
) {
  return tx
    .select({
      id: auditEvents.id,
      at: exactTime,
      createdAt: auditEvents.createdAt,
      actorUserId: auditEvents.actorUserId,
      actorType: auditEvents.actorType,
      action: auditEvents.action,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      metadata: auditEvents.metadata,
      before: auditEvents.before,
      after: auditEvents.after,
      ip: auditEvents.ip,
      userAgent: auditEvents.userAgent,
    })
    .from(auditEvents)
    .where(conditions(tenantId, filters, after))
    .orderBy(...NEWEST_FIRST)
    .limit(limit);
}

/** One batch of entries, newest first, after `after` (exclusive). */
export async function readAuditBatch(
  tx: Transaction,
  tenantId: string,
  filters: AuditFilters,
  after: [string, string] | null,
  limit: number,
): Promise<AuditRow[]> {
  return auditBatchQuery(tx, tenantId, filters, after, limit);
}

/** A page of the log and the cursor of the next one. */
export async function listAuditEvents(
  tx: Transaction,
  tenantId: string,
  filters: AuditFilters,
  limit = AUDIT_PAGE_SIZE,
) {
  const rows = await readAuditBatch(
    tx,
    tenantId,
    filters,
    decodeAuditCursor(filters.cursor),
    limit + 1,
  );
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor([last.at, last.id]) : null,
  };
}

export type AuditActor = {
  userId: string;
  name: string;
  /** The account was deleted: its name is gone, the entries keep its id. */
  deleted: boolean;
  /** No longer in this organization (removed, or left). */
  former: boolean;
};

const describeActor = (row: {
  userId: string;
  name: string | null;
  userStatus: string | null;
  membershipStatus: string | null;
}): AuditActor => ({
  userId: row.userId,
  name: row.userStatus === 'deleted' || row.name === null ? 'Deleted user' : row.name,
  deleted: row.userStatus === 'deleted' || row.name === null,
  former: row.membershipStatus === null || row.membershipStatus === 'removed',
});

const actorColumns = {
  userId: memberships.userId,
  name: users.name,
  userStatus: users.status,
  membershipStatus: memberships.status,
};

/**
 * Who the actors of some entries are, by user id. Users are visible to the tenant through a membership (any
 * status), so an actor whose membership is gone reads as a deleted user.
 */
export async function describeActors(
  tx: Transaction,
  tenantId: string,
  userIds: string[],
): Promise<Map<string, AuditActor>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select(actorColumns)
    .from(memberships)
    .leftJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), inArray(memberships.userId, ids)));
  const actors = new Map(rows.map((row) => [row.userId, describeActor(row)]));
  for (const id of ids) {
    if (!actors.has(id))
      actors.set(id, { userId: id, name: 'Deleted user', deleted: true, former: true });
  }
  return actors;
}

/**
 * Everyone who can appear as an actor, for the actor filter: every membership of the organization, whatever
 * its status (a former member's entries stay), by name. At most a few thousand rows, from the memberships
 * primary key, never a scan of the trail.
 */
export async function listAuditActors(tx: Transaction, tenantId: string): Promise<AuditActor[]> {
  const rows = await tx
    .select(actorColumns)
    .from(memberships)
    .leftJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(asc(users.name));
  return rows.map(describeActor);
}
