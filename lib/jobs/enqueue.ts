import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Transaction } from '@/db/client';
import { insertJobSql } from '@/db/statements/jobs';
import type { QueueName } from './queues';

/**
 * Sends a job in the caller's transaction, so it exists exactly when the change that causes it commits: a
 * rolled-back change sends nothing, a committed one always has its job. `data` is stored as is, readable by
 * the worker and kept for days after the job ran: ids only, never a secret (tenantJob's schemas refuse
 * unknown fields). Returns the job's id.
 */
export async function enqueue(tx: Transaction, queue: QueueName, data: object): Promise<string> {
  const id = randomUUID();
  const inserted = await tx.execute(insertJobSql({ id, queue, data }));
  if (inserted.count !== 1)
    throw new Error(`No queue "${queue}": queues are created by migrations.`);
  return id;
}
