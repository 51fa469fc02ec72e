import type PgBoss from 'pg-boss';

/**
 * Integration tests have no worker process: this runs the jobs that are due, through the real handlers and
 * the same path the worker's loops take (`processJob`), as the worker role (DATABASE_WORKER_URL). Tests share
 * their database, so it may also run another file's due jobs, exactly as the worker would; a test that needs
 * its jobs to itself uses a database of its own (own-database.ts). For the same reason, a test in the shared
 * database reads the mail it caused through `deliveredMail` (mail.ts), never from the sealed body in
 * outgoing_mail nor from the mailbox right after this: another file may have delivered the message, or be
 * delivering it still.
 */

let boss: PgBoss | undefined;

async function testBoss(): Promise<PgBoss> {
  if (!boss) {
    const { createBoss } = await import('@/lib/jobs/boss');
    // No cron and no maintenance: a test decides when time passes.
    boss = createBoss(process.env.DATABASE_WORKER_URL!, { schedule: false, supervise: false });
    await boss.start();
  }
  return boss;
}

/**
 * Runs every due job of `queue` (of every queue by default) until none is left, retries included once they
 * are due; `ignoreDelay` runs retries at once instead of after their backoff. Returns how many ran.
 */
export async function runPendingJobs(
  options: { queue?: string; ignoreDelay?: boolean } = {},
): Promise<number> {
  const { JOB_LOOPS } = await import('@/lib/jobs/definitions');
  const { processJob } = await import('@/lib/jobs/work-loop');
  const boss = await testBoss();
  let ran = 0;
  for (;;) {
    let fetched = 0;
    for (const { definition } of JOB_LOOPS) {
      if (options.queue && definition.queue !== options.queue) continue;
      const jobs = await boss.fetch<unknown>(definition.queue, {
        batchSize: 50,
        includeMetadata: true,
        ignoreStartAfter: options.ignoreDelay ?? false,
      });
      for (const job of jobs) await processJob(boss, definition, job);
      fetched += jobs.length;
    }
    if (fetched === 0) return ran;
    ran += fetched;
  }
}

/** Closes the helper's pg-boss connections (afterAll of a file that ran jobs). */
export async function stopPendingJobs() {
  await boss?.stop({ graceful: false, wait: true });
  boss = undefined;
}
