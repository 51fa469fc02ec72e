import 'server-only';
import { z } from 'zod';
import type { Transaction } from '@/db/client';
import { withTenant } from '@/db/with-tenant';
import { logger } from '@/lib/log';
import { isFinalAttempt, type JobDefinition, PermanentJobError } from './definition';
import { enqueue } from './enqueue';
import type { QueueName } from './queues';

type Failure = { error: unknown; final: boolean };

type Options<D> = {
  /**
   * Runs in a transaction of its own after `handler` failed (the handler's was rolled back): to record the
   * attempt where people can see it. `final` when no retry follows.
   */
  onFailure?: (data: D, tx: Transaction, failure: Failure) => Promise<void>;
};

/**
 * The only way a job that touches a tenant's data is defined. Its data is the tenant's id and the kind's
 * fields, nothing else (unknown fields are refused, so a secret cannot ride along by accident); it is
 * checked when the job is sent and again when it runs, where data that does not parse fails the job for good
 * (no retry would fix it). The handler runs inside `withTenant` for that tenant, without a user: Row-Level
 * Security confines it as it confines a request.
 */
export function tenantJob<Shape extends z.ZodRawShape>(
  kind: QueueName,
  fields: z.ZodObject<Shape>,
  handler: (
    data: z.output<z.ZodObject<Shape>> & { tenantId: string },
    tx: Transaction,
  ) => Promise<void>,
  options: Options<z.output<z.ZodObject<Shape>> & { tenantId: string }> = {},
) {
  const schema = fields.extend({ tenantId: z.uuid() }).strict();
  type Data = z.output<z.ZodObject<Shape>> & { tenantId: string };

  const definition: JobDefinition = {
    queue: kind,
    async run(raw, attempt) {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        throw new PermanentJobError(
          `The data of this ${kind} job is invalid: ${z.prettifyError(parsed.error)}`,
        );
      }
      const data = parsed.data as Data;
      const ctx = { tenantId: data.tenantId, userId: null };
      try {
        await withTenant(ctx, (tx) => handler(data, tx));
      } catch (error) {
        const { onFailure } = options;
        if (onFailure) {
          const failure = { error, final: isFinalAttempt(attempt, error) };
          // The attempt's own failure is what pg-boss records and retries; a failure to note it is logged.
          await withTenant(ctx, (tx) => onFailure(data, tx, failure)).catch((noteError: unknown) =>
            logger().error(
              { err: noteError, queue: kind, jobId: attempt.id },
              'could not record a failed job attempt',
            ),
          );
        }
        throw error;
      }
    },
  };

  return {
    ...definition,
    /** Sends the job in the caller's transaction (see `enqueue`); data that does not parse throws here. */
    enqueue: (tx: Transaction, data: Data) => enqueue(tx, kind, schema.parse(data)),
  };
}
