import 'server-only';
import { and, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { invitations, type Role, users } from '@/db/schema';
import { AppError } from '@/lib/errors/app-error';
import { type CursorKey, decodeCursor, toPage } from '@/lib/pagination/cursor';

export const INVITATIONS_PAGE_SIZE = 25;

/** What the list shows: `expired` includes pending invitations whose time ran out. */
export type InvitationState = 'pending' | 'expired' | 'accepted' | 'revoked';
export const INVITATION_FILTERS = ['pending', 'expired', 'accepted', 'revoked', 'all'] as const;
export type InvitationFilter = (typeof INVITATION_FILTERS)[number];
export const INVITATION_SORTS = ['sent', 'email'] as const;
export type InvitationSort = (typeof INVITATION_SORTS)[number];

export type InvitationRow = {
  id: string;
  email: string;
  role: Role;
  state: InvitationState;
  /** Still pending (perhaps past its expiry): it can be resent or revoked. */
  open: boolean;
  inviterName: string | null;
  createdAt: string;
  expiresAt: string;
  lastSentAt: string;
  sendCount: number;
  version: number;
};

const live = sql`${invitations.expiresAt} > now()`;

const FILTERS: Record<InvitationFilter, SQL | undefined> = {
  pending: and(eq(invitations.status, 'pending'), live),
  expired: or(
    eq(invitations.status, 'expired'),
    and(eq(invitations.status, 'pending'), sql`not (${live})`),
  ),
  accepted: eq(invitations.status, 'accepted'),
  revoked: eq(invitations.status, 'revoked'),
  all: undefined,
};

/** The sort key as text, exact to the microsecond for times, so a cursor is a precise keyset position. */
const SORT_KEYS: Record<InvitationSort, { key: SQL<string>; cast: string }> = {
  sent: { key: sql<string>`${invitations.createdAt}::text`, cast: 'timestamptz' },
  email: { key: sql<string>`${invitations.email}`, cast: 'text' },
};

const COLUMNS: Record<InvitationSort, SQL> = {
  sent: sql`${invitations.createdAt}`,
  email: sql`${invitations.email}`,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// PostgreSQL's text form of a timestamptz, as SORT_KEYS.sent writes it.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

/** A cursor that decodes but could not come from this list is refused like one that does not decode. */
function checkCursor(key: CursorKey | null, sort: InvitationSort): [string, string] | null {
  if (!key) return null;
  const [value, id] = key;
  const valid =
    typeof value === 'string' &&
    typeof id === 'string' &&
    UUID.test(id) &&
    (sort === 'email' ? value.length <= 254 : TIMESTAMP.test(value));
  if (!valid) {
    throw new AppError('invalid', 'This page link is not valid. Start again from the first page.');
  }
  return [value as string, id as string];
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One page of the organization's invitations, keyset-paginated on (sort key, id) in either direction, with
 * the inviter's name (a member, so visible in the tenant's context).
 */
export async function listInvitations(
  tx: Transaction,
  tenantId: string,
  p: {
    filter: InvitationFilter;
    search: string;
    sort: InvitationSort;
    direction: 'asc' | 'desc';
    cursor: string | null;
  },
) {
  const after = checkCursor(decodeCursor(p.cursor, 2), p.sort);
  const column = COLUMNS[p.sort];
  const { key, cast } = SORT_KEYS[p.sort];
  const compare = p.direction === 'asc' ? sql`>` : sql`<`;
  const order = p.direction === 'asc' ? sql`asc` : sql`desc`;
  const rows = await tx
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      status: invitations.status,
      live: sql<boolean>`${live}`,
      inviterName: users.name,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
      lastSentAt: invitations.lastSentAt,
      sendCount: invitations.sendCount,
      version: invitations.version,
      sortKey: key,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(
      and(
        eq(invitations.tenantId, tenantId),
        FILTERS[p.filter],
        p.search ? ilike(invitations.email, `%${escapeLike(p.search)}%`) : undefined,
        after
          ? sql`(${column}, ${invitations.id}) ${compare} (${after[0]}::${sql.raw(cast)}, ${after[1]}::uuid)`
          : undefined,
      ),
    )
    .orderBy(sql`${column} ${order}`, sql`${invitations.id} ${order}`)
    .limit(INVITATIONS_PAGE_SIZE + 1);
  const page = toPage(rows, INVITATIONS_PAGE_SIZE, (row) => [row.sortKey, row.id]);
  return {
    nextCursor: page.nextCursor,
    items: page.items.map(
      (row): InvitationRow => ({
        id: row.id,
        email: row.email,
        role: row.role,
        state: row.status === 'pending' && !row.live ? 'expired' : row.status,
        open: row.status === 'pending',
        inviterName: row.inviterName,
        createdAt: row.createdAt.toISOString(),
        expiresAt: row.expiresAt.toISOString(),
        lastSentAt: row.lastSentAt.toISOString(),
        sendCount: row.sendCount,
        version: row.version,
      }),
    ),
  };
}
