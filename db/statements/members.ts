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
 * Each sort's key and the type its text form in a cursor is read back as. Last active sorts members who never
 * signed in as the oldest; roles sort by rank. Every key is paired with the user id, which breaks ties.
 */
const SORT_KEYS: Record<MemberSort, { expr: SQL; type: SQL }> = {
  name: { expr: sql`lower(u.name)`, type: sql`text` },
  role: {
    expr: sql`(case m.role when 'owner' then 0 when 'admin' then 1 when 'member' then 2 else 3 end)`,
    type: sql`integer`,
  },
  joined: { expr: sql`m.created_at`, type: sql`timestamptz` },
  last_active: {
    expr: sql`coalesce(la.last_active, '-infinity'::timestamptz)`,
    type: sql`timestamptz`,
  },
};

/** `%` and `_` in a search are literal characters, not patterns. */
const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * One page of the members table in one statement: each member's last activity (their latest session in this
 * organization) and whether they use two-factor sign-in (through `tenantry_members_with_two_factor()`, since
 * the runtime role reads only its own second factor) come from grouped joins, not a query per row. Keyset
 * pagination on (sort key, user id), in the requested direction. With 1,000 members a page scans them all
 * (a search by substring cannot use a b-tree anyway) and sorts in memory: a few milliseconds, measured by the
 * `members` benchmark.
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
  if (q.after) {
    const op = q.direction === 'asc' ? sql`>` : sql`<`;
    filters.push(
      sql`(${key.expr}, m.user_id) ${op} (cast(${q.after.key} as ${key.type}), ${q.after.userId}::uuid)`,
    );
  }
  return sql`
    select m.user_id as "userId", u.name, u.email, m.role, m.status, m.version,
      m.created_at as "joinedAt", la.last_active as "lastActiveAt",
      tf.user_id is not null as "twoFactor", (${key.expr})::text as "sortKey"
    from memberships m
    join users u on u.id = m.user_id
    left join (
      select s.user_id, max(s.last_seen_at) as last_active
      from sessions s where s.tenant_id = ${q.tenantId}
      group by s.user_id
    ) la on la.user_id = m.user_id
    left join tenantry_members_with_two_factor() tf(user_id) on tf.user_id = m.user_id
    where ${sql.join(filters, sql` and `)}
    order by ${key.expr} ${dir}, m.user_id ${dir}
    limit ${q.limit}`;
}
