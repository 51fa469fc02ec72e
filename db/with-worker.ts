import 'server-only';
import { databaseLogger, type Transaction, workerConnection } from './client';
import { runTransaction } from './transaction';

/** Every task the worker role runs; a new one is a visible change in review, like a platform reason. */
export type WorkerTask = 'cleanup' | 'audit-retention';

/**
 * The worker role's path: cross-tenant housekeeping. Policies written TO the role show it only rows that
 * are past their retention, so whatever `fn` runs, it can neither read nor delete a live row. Logged with
 * its task, like every use of the platform role.
 */
export async function withWorker<T>(
  task: WorkerTask,
  fn: (tx: Transaction) => Promise<T>,
): Promise<T> {
  databaseLogger().info({ task }, 'worker role access');
  return runTransaction(workerConnection().sql, null, fn);
}
