export const dynamic = 'force-dynamic';

/**
 * Liveness: the process serves requests. It touches nothing else, so a database or realtime outage never
 * gets healthy processes restarted; whether they can do their job is /api/ready.
 */
export function GET() {
  return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
}
