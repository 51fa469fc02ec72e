import 'server-only';
import { sql } from 'drizzle-orm';
import { boardJsonSql } from '@/db/statements/board';
import { tenantRevisionSql } from '@/db/statements/tenant-revision';
import { queryWithTenant } from '@/db/with-tenant';
import type { CurrentMember } from '@/lib/auth/session';
import { RevisionCache } from '@/lib/cache/revision-cache';
import { getEnv } from '@/lib/config/env';
import { notFoundError } from '@/lib/errors/app-error';
import type { Board } from './queries';

/**
 * The board is the most-read route of the product and changes far less often than it is read: each process
 * keeps the boards it served under the tenant revision they were read at, and serves one again only while
 * the revision the request's own session check read (under RLS, in the member's tenant) is the same. Every
 * committed change to what a board shows moves that revision, whichever process made it (triggers, see
 * db/schema/tenant-revisions.ts), so a board served from here is exactly what the database would build at
 * that moment; only a miss pays for building it.
 */

const globalCache = globalThis as unknown as { tenantryBoardCache?: RevisionCache };

function boardCache() {
  globalCache.tenantryBoardCache ??= new RevisionCache(getEnv().boardCacheBytes);
  return globalCache.tenantryBoardCache;
}

type Reader = Pick<CurrentMember, 'tenant' | 'userId' | 'revision'>;

/**
 * The board as JSON text, or null when the project does not exist in the member's tenant. The caller has
 * checked the member and the permission; `member.revision` comes from that same check.
 */
export async function readBoardJson(member: Reader, projectId: string): Promise<string | null> {
  const where = { tenantId: member.tenant.id, projectId };
  const cache = boardCache();
  const key = `${where.tenantId}/${projectId}`;
  const hit = cache.get(key, member.revision);
  if (hit !== undefined) return hit;
  // The board and the revision in one statement, so from one snapshot: stored under that revision, the
  // board is served only while nothing has changed since.
  const [row] = await queryWithTenant<{ revision: string; board: string | null }>(
    { tenantId: where.tenantId, userId: member.userId },
    sql`select ${tenantRevisionSql(where.tenantId)} as revision, (${boardJsonSql(where)}) as board`,
  );
  const { revision, board } = row!;
  if (cache.maxBytes === 0) return board;
  if (board === null) cache.delete(key);
  else cache.set(key, revision, board);
  return board;
}

/** The board, parsed, or a `not_found` AppError. */
export async function readBoardOrThrow(member: Reader, projectId: string): Promise<Board> {
  const json = await readBoardJson(member, projectId);
  if (json === null) throw notFoundError('This project');
  return JSON.parse(json) as Board;
}
