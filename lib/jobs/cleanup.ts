import 'server-only';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import {
  invitationSends,
  outboxEvents,
  outgoingMail,
  rateLimits,
  sessions,
  singleUseTokens,
  tenantSlugRedirects,
} from '@/db/schema';
import { deleteVisibleRowsSql } from '@/db/statements/cleanup';
import { withWorker } from '@/db/with-worker';
import { logger } from '@/lib/log';
import type { JobDefinition } from './definition';

/** Every ten minutes: tokens and rate-limit windows die by the minute, and each run stays short. */
export const CLEANUP_CRON = '*/10 * * * *';

/**
 * Short transactions (each batch holds its row locks only for itself) and a bound per run, so that a large
 * backlog, after the worker was away for a while, is worked off over several runs instead of one long one.
 */
const BATCH_ROWS = 1_000;
const MAX_BATCHES_PER_TABLE = 50;

/** What the clean-up deletes, and the key it picks rows by: what the worker role may read of them. */
export const CLEANUP_TABLES: { table: PgTable; key: PgColumn[] }[] = [
  { table: singleUseTokens, key: [singleUseTokens.tenantId, singleUseTokens.tokenHash] },
  { table: sessions, key: [sessions.tenantId, sessions.id] },
  { table: rateLimits, key: [rateLimits.key] },
  { table: outboxEvents, key: [outboxEvents.tenantId, outboxEvents.id] },
  { table: outgoingMail, key: [outgoingMail.tenantId, outgoingMail.id] },
  // Expired former subdomains: free already (a claim deletes an expired redirect itself); this tidies up.
  { table: tenantSlugRedirects, key: [tenantSlugRedirects.slug] },
  { table: invitationSends, key: [invitationSends.tenantId, invitationSends.id] },
];

/**
 * Deletes the dead rows of one table in batches, as the worker role: the rows its policies show it, which
 * are exactly those past their retention (db/schema/retention.ts). Running it again deletes only what has
 * died since. Returns how many rows went.
 */
export async function deleteDeadRows(
  { table, key }: { table: PgTable; key: PgColumn[] },
  { batchRows = BATCH_ROWS, maxBatches = MAX_BATCHES_PER_TABLE } = {},
): Promise<number> {
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const result = await withWorker('cleanup', (tx) =>
      tx.execute(deleteVisibleRowsSql(table, key, batchRows)),
    );
    deleted += result.count;
    if (result.count < batchRows) break;
  }
  return deleted;
}

/** Every table's clean-up, each on its own: one that fails does not keep the others from running. */
export async function runCleanups(): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  const failures: unknown[] = [];
  for (const entry of CLEANUP_TABLES) {
    const { name } = getTableConfig(entry.table);
    try {
      deleted[name] = await deleteDeadRows(entry);
    } catch (error) {
      failures.push(error);
      logger().error({ err: error, table: name }, 'clean-up failed');
    }
  }
  logger().info({ deleted }, 'clean-up done');
  if (failures.length > 0) throw new AggregateError(failures, 'Some clean-ups failed.');
  return deleted;
}

/** The scheduled job: it carries no data. */
export const cleanupJob: JobDefinition = {
  queue: 'cleanup',
  run: async () => {
    await runCleanups();
  },
};
