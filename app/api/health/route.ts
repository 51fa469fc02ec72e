import { sql } from 'drizzle-orm';
import { appConnection } from '@/db/client';

export const dynamic = 'force-dynamic';

/** Liveness and database reachability, for load balancers and the end-to-end test runner. */
export async function GET() {
  // Cleared once the database answers, so a call leaves no timer behind.
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      appConnection().db.execute(sql`select 1`),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), 2000);
      }),
    ]);
    return Response.json({ status: 'ok', db: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
  } catch {
    return Response.json(
      { status: 'error', db: 'unreachable' },
      { status: 503, headers: { 'Cache-Control': 'no-store' } },
    );
  } finally {
    clearTimeout(timer);
  }
}
