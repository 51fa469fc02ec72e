import { appConnection } from '@/db/client';
import { getEnv } from '@/lib/config/env';
import { queueStatsSource } from '@/lib/observability/queue-source';
import {
  checkDatabase,
  checkQueue,
  checkReadiness,
  checkRealtime,
  type ReadinessCheck,
} from '@/lib/observability/readiness';
import { getProbePusher } from '@/lib/realtime/pusher';

export const dynamic = 'force-dynamic';

/** How soon a load balancer or a deploy should ask again. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Readiness: 200 when the database, the realtime server and the job queue all answer as they should, else
 * 503 naming each failing part (see lib/observability/readiness.ts). Liveness is /api/health.
 */
export async function GET() {
  const checks: Record<string, ReadinessCheck> = { database: checkDatabase(appConnection().sql) };
  if (getEnv().pusher) checks.realtime = checkRealtime(getProbePusher());
  if (queueStatsSource) checks.queue = checkQueue(queueStatsSource);
  const { ready, body } = await checkReadiness(checks);
  return Response.json(body, {
    status: ready ? 200 : 503,
    headers: {
      'Cache-Control': 'no-store',
      ...(!ready && { 'Retry-After': String(RETRY_AFTER_SECONDS) }),
    },
  });
}
