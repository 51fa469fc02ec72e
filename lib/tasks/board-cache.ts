import 'server-only';
import { boardJsonSql } from '@/db/statements/board';
import type { CurrentMember } from '@/lib/auth/session';
import { RevisionCache } from '@/lib/cache/revision-cache';
import { readAtRevision } from '@/lib/cache/revision-read';
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

/**
 * One cache per process for boards and the other small reads kept under the tenant revision (the dashboard's
 * project count), within BOARD_CACHE_MB; on globalThis, since Next.js bundles this module more than once.
 */
export function boardCache() {
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
  return readAtRevision(boardCache(), member, `${where.tenantId}/${projectId}`, () =>
    boardJsonSql(where),
  );
}

/** The board, parsed, or a `not_found` AppError. */
export async function readBoardOrThrow(member: Reader, projectId: string): Promise<Board> {
  const json = await readBoardJson(member, projectId);
  if (json === null) throw notFoundError('This project');
  return JSON.parse(json) as Board;
}
