import 'server-only';
import { type SQL, sql } from 'drizzle-orm';
import type { MembershipStatus, Role } from '../schema';

export type MemberSort = 'name' | 'role' | 'joined' | 'last_active';

export type MemberListQuery = {
  tenantId: string;
  search: string | null;
  role: Role | null;
  /** null: everyone who is still in the organization (active and deactivated). */
  status: MembershipStatus | null;
  sort: MemberSort;
  direction: 'asc' | 'desc';
  /** The last row of the previous page: its sort key as text and its user id. */
  after: { key: string; userId: string } | null;
  limit: number;
};

export type MemberListRow = {
  userId: string;
  name: string;
  email: string;
  role: Role;
  status: MembershipStatus;
  version: number;
  joinedAt: Date;
  lastActiveAt: Date | null;
  twoFactor: boolean;
  sortKey: string;
};

/**
 * Each sort's key, over the row the inner query builds, and the type its text form in a cursor is read back
 * as. Last active sorts members who never signed in as the oldest; roles sort by rank. Every key is paired
 * with the user id, which breaks ties.
 */
const SORT_KEYS: Record<MemberSort, { expr: SQL; type: SQL }> = {
  name: { expr: sql`lower(r.name)`, type: sql`text` },
  role: {
    expr: sql`(case r.role when 'owner' then 0 when 'admin' then 1 when 'member' then 2 else 3 end)`,
    type: sql`integer`,
  },
  joined: { expr: sql`r."joinedAt"`, type: sql`timestamptz` },
  last_active: {
    expr: sql`coalesce(r."lastActiveAt", '-infinity'::timestamptz)`,
    type: sql`timestamptz`,
  },
};

/** `%` and `_` in a search are literal characters, not patterns. */
const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * One page of the members table in one statement. Each member's last activity (their latest session in this
 * organization: one index lookup per member) and whether they use two-factor sign-in (membership in the set
 * `tenantry_members_with_two_factor()` returns, computed once and hashed; the runtime role reads only its
 * own second factor) are written so that their cost does not hang on the planner's row estimates: as joins,
 * a bulk load not yet analyzed made the planner re-run the function once per member. Keyset pagination on
 * (sort key, user id), in the requested direction. With 1,000 members a page reads them all (a search by
 * substring cannot use a b-tree anyway) and keeps the top of a sort in memory: measured by the `members`
 * benchmark.
 */
export function memberListSql(q: MemberListQuery): SQL {
  const key = SORT_KEYS[q.sort];
  const dir = q.direction === 'asc' ? sql`asc` : sql`desc`;
  const filters: SQL[] = [sql`m.tenant_id = ${q.tenantId}`];
  filters.push(q.status ? sql`m.status = ${q.status}` : sql`m.status <> 'removed'`);
  if (q.role) filters.push(sql`m.role = ${q.role}`);
  if (q.search) {
    const pattern = likePattern(q.search);
    filters.push(sql`(u.name ilike ${pattern} or u.email ilike ${pattern})`);
  }
  const after = q.after
    ? sql`where (${key.expr}, r."userId") ${q.direction === 'asc' ? sql`>` : sql`<`} (cast(${q.after.key} as ${key.type}), ${q.after.userId}::uuid)`
    : sql``;
  return sql`
    select r.*, (${key.expr})::text as "sortKey"
    from (
      select m.user_id as "userId", u.name, u.email, m.role, m.status, m.version,
        m.created_at as "joinedAt",
        (select max(s.last_seen_at) from sessions s
         where s.tenant_id = ${q.tenantId} and s.user_id = m.user_id) as "lastActiveAt",
        m.user_id in (select tenantry_members_with_two_factor()) as "twoFactor"
      from memberships m
      join users u on u.id = m.user_id
      where ${sql.join(filters, sql` and `)}
    ) r
    ${after}
    order by ${key.expr} ${dir}, r."userId" ${dir}
    limit ${q.limit}`;
}
