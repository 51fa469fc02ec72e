import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import type PgBoss from 'pg-boss';
import { FINAL_ATTEMPT_SQL } from '@/db/statements/jobs';
import { logger } from '@/lib/log';
import { isFinalAttempt, type JobDefinition, PermanentJobError } from './definition';

type FetchedJob = PgBoss.JobWithMetadata<unknown>;

/**
 * Runs one fetched job and records how it went. Shared by the worker's loops and the tests' helper that runs
 * due jobs, so both take the same path. A handler that outlives its job's `expireInSeconds` is abandoned and
 * the attempt failed (pg-boss's own maintenance would expire it then anyway): handlers are idempotent, so
 * the retry may run while the abandoned one still does.
 */
export async function processJob(boss: PgBoss, definition: JobDefinition, job: FetchedJob) {
  const attempt = { id: job.id, retryCount: job.retryCount, retryLimit: job.retryLimit };
  const fields = { queue: job.name, jobId: job.id, attempt: job.retryCount + 1 };
  const timeout = new AbortController();
  // pg-boss reads it with EXTRACT, which PostgreSQL answers as a numeric, and node-postgres as a string.
  const limitSeconds = Number(job.expireInSeconds);
  try {
    await Promise.race([
      definition.run(job.data, attempt),
      sleep(limitSeconds * 1000, undefined, { signal: timeout.signal }).then(() => {
        throw new Error(`The job ran longer than its ${limitSeconds} s.`);
      }),
    ]);
    await boss.complete(job.name, job.id);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof PermanentJobError) {
      await boss.getDb().executeSql(FINAL_ATTEMPT_SQL, [job.name, job.id]);
      logger().error({ ...fields, err: error }, 'job failed for good: it cannot succeed');
    } else if (isFinalAttempt(attempt, error)) {
      logger().error({ ...fields, err: error }, 'job failed for good: no retry left');
    } else {
      logger().warn({ ...fields, err: error }, 'job attempt failed; it will be retried');
    }
    // Only the message: the job's row keeps it for days, and a stack says nothing an operator needs there.
    await boss.fail(job.name, job.id, { message });
  } finally {
    timeout.abort();
  }
}

export type WorkLoop = {
  /** Stops fetching, waits up to `timeoutMs` for the jobs in hand, then fails those still running. */
  stop(timeoutMs: number): Promise<void>;
};

/**
 * Fetches up to `batchSize` jobs of the definition's queue at a time and runs them side by side. A full
 * batch is followed by the next at once, so a backlog drains at the speed of the handlers; otherwise the loop
 * waits `idleMs` before it looks again. Each idle look is one indexed query on the queue's partition.
 */
export function startWorkLoop(
  boss: PgBoss,
  definition: JobDefinition,
  options: { batchSize: number; idleMs: number },
): WorkLoop {
  const idle = new AbortController();
  const inHand = new Map<string, Promise<void>>();
  let stopping = false;

  async function loop() {
    while (!stopping) {
      // pg-boss answers [] when the fetch itself fails (the database is away): the loop waits and tries again.
      const jobs = await boss
        .fetch<unknown>(definition.queue, { batchSize: options.batchSize, includeMetadata: true })
        .catch((error: unknown) => {
          logger().error({ err: error, queue: definition.queue }, 'could not fetch jobs');
          return [];
        });
      await Promise.all(
        jobs.map((job) => {
          const running = processJob(boss, definition, job)
            .catch((error: unknown) =>
              // Completing or failing it failed (the database is away): it expires and is retried.
              logger().error(
                { err: error, queue: job.name, jobId: job.id },
                'could not record a job',
              ),
            )
            .finally(() => inHand.delete(job.id));
          inHand.set(job.id, running);
          return running;
        }),
      );
      if (jobs.length < options.batchSize && !stopping) {
        await sleep(options.idleMs, undefined, { signal: idle.signal }).catch(() => {});
      }
    }
  }

  const looping = loop();
  return {
    async stop(timeoutMs) {
      stopping = true;
      idle.abort();
      const finished = await Promise.race([
        looping.then(() => true),
        sleep(timeoutMs).then(() => false),
      ]);
      if (finished) return;
      const left = [...inHand.keys()];
      logger().warn({ queue: definition.queue, jobs: left }, 'stopping with jobs still running');
      // Failed rather than left to expire, so they are retried soon, by another worker or the next start.
      await Promise.all(
        left.map((id) =>
          boss.fail(definition.queue, id, { message: 'The worker stopped while it ran.' }),
        ),
      );
    },
  };
}
