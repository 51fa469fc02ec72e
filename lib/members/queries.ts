import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { type MembershipStatus, memberships, type Role, users } from '@/db/schema';
import { type MemberListRow, memberListSql } from '@/db/statements/members';
import { AppError, notFoundError } from '@/lib/errors/app-error';
import { decodeCursor, toPage } from '@/lib/pagination/cursor';
import type { MemberListParams } from './schemas';

export const MEMBERS_PAGE_SIZE = 25;

export type MemberRow = {
  userId: string;
  name: string;
  email: string;
  role: Role;
  status: MembershipStatus;
  version: number;
  joinedAt: string;
  lastActiveAt: string | null;
  twoFactor: boolean;
};

// The driver hands raw statements' timestamps over as text or as dates, depending on its type parsers.
const iso = (value: Date | string) => new Date(value).toISOString();

/** One page of the members table (see db/statements/members.ts), in `withTenant`. */
export async function listMembers(
  tx: Transaction,
  tenantId: string,
  params: MemberListParams,
): Promise<{ items: MemberRow[]; nextCursor: string | null }> {
  const cursor = decodeCursor(params.cursor, 2);
  const after =
    cursor && typeof cursor[0] === 'string' && typeof cursor[1] === 'string'
      ? { key: cursor[0], userId: cursor[1] }
      : null;
  if (cursor && (!after || !/^[0-9a-f-]{36}$/.test(after.userId))) {
    throw new AppError('invalid', 'This page link is not valid. Start again from the first page.');
  }
  const rows = (await tx.execute(
    memberListSql({
      tenantId,
      search: params.q || null,
      role: params.role,
      status: params.status,
      sort: params.sort,
      direction: params.direction,
      after,
      limit: MEMBERS_PAGE_SIZE + 1,
    }),
  )) as unknown as MemberListRow[];
  const page = toPage([...rows], MEMBERS_PAGE_SIZE, (r) => [r.sortKey, r.userId]);
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({
      userId: r.userId,
      name: r.name,
      email: r.email,
      role: r.role,
      status: r.status,
      version: r.version,
      joinedAt: iso(r.joinedAt),
      lastActiveAt: r.lastActiveAt ? iso(r.lastActiveAt) : null,
      twoFactor: r.twoFactor,
    })),
  };
}

export type MembershipState = {
  userId: string;
  role: Role;
  status: MembershipStatus;
  version: number;
};

export type MembershipRow = MembershipState & { name: string };

/**
 * A membership of this tenant, locked for the change about to be made (so the checks below it decide on the
 * row as it will be changed). Another tenant's member is `not_found`, like one that does not exist. The lock
 * is FOR NO KEY UPDATE (the changes never touch the key): it still lets other transactions insert rows that
 * point at the membership (a foreign key check takes KEY SHARE), such as the unlock link that a fifth wrong
 * password mails from its own transaction while this one waits for it.
 */
export async function lockMembershipOrThrow(
  tx: Transaction,
  { tenantId, userId }: { tenantId: string; userId: string },
): Promise<MembershipRow> {
  const [row] = await tx
    .select({
      userId: memberships.userId,
      name: users.name,
      role: memberships.role,
      status: memberships.status,
      version: memberships.version,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
    .for('no key update', { of: memberships });
  if (!row) throw notFoundError('This member');
  return row;
}

/** Writes a role or status change with the next version; the caller has checked the version it saw. */
export async function updateMembership(
  tx: Transaction,
  { tenantId, userId }: { tenantId: string; userId: string },
  changes: { role?: Role; status?: MembershipStatus },
): Promise<MembershipState> {
  const [row] = await tx
    .update(memberships)
    .set({ ...changes, version: sql`${memberships.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
    .returning({
      userId: memberships.userId,
      role: memberships.role,
      status: memberships.status,
      version: memberships.version,
    });
  if (!row) throw notFoundError('This member');
  return row;
}
