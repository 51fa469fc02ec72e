import postgres from 'postgres';
import type { Stack } from './stack';
import { type Summary, summarize } from './stats';

/**
 * Mail through the queue, end to end: `count` messages, each queued in a transaction of its own as the app's
 * actions queue them (`queueMail` inside `withTenant`), `concurrency` at a time, and delivered by the worker
 * that the app server runs beside it (into the development mailbox: the benchmark's server captures mail).
 * Uses the app modules in this process, set up by loadBoardQueries.
 */
export async function benchMailJobs(
  stack: Stack,
  tenantId: string,
  count: number,
  concurrency = 8,
): Promise<{ enqueue: Summary; delivered: Summary }> {
  const { withTenant } = await import('@/db/with-tenant');
  const { queueMail } = await import('@/lib/mail/queue-mail');
  const tag = `bench-${Date.now().toString(36)}`;
  const enqueueTimes: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const sent = performance.now();
        await withTenant({ tenantId, userId: null }, (tx) =>
          queueMail(tx, tenantId, {
            to: `bench-${i}@example.test`,
            subject: `${tag} ${i}`,
            text: 'A message of the benchmark.',
          }),
        );
        enqueueTimes.push(performance.now() - sent);
      }
    }),
  );
  const enqueueSeconds = (performance.now() - started) / 1000;

  const superuser = postgres(stack.superuserUrl, { max: 1, onnotice: () => {} });
  try {
    const deadline = Date.now() + 120_000;
    let done = { sent: 0, failed: 0 };
    while (done.sent + done.failed < count) {
      if (Date.now() > deadline)
        throw new Error(`The worker delivered ${done.sent} of ${count} messages in 120 s.`);
      await new Promise((r) => setTimeout(r, 50));
      const [counted] = await superuser<{ sent: number; failed: number }[]>`
        select count(*) filter (where status = 'sent')::int as sent,
          count(*) filter (where status = 'failed')::int as failed
        from outgoing_mail where subject like ${`${tag} %`}`;
      done = counted!;
    }
    const drainSeconds = (performance.now() - started) / 1000;
    // From the queuing transaction's start to the delivering one's (both now()): the wait in the queue.
    const waits = await superuser<{ ms: number }[]>`
      select extract(epoch from sent_at - created_at) * 1000 as ms
      from outgoing_mail where subject like ${`${tag} %`} and status = 'sent'`;
    return {
      enqueue: summarize(enqueueTimes, enqueueSeconds),
      delivered: summarize(
        waits.map((w) => Number(w.ms)),
        drainSeconds,
        done.failed,
      ),
    };
  } finally {
    await superuser.end();
  }
}
