/**
 * A constant JSON answer, built once at build time: the framework's own floor on this server (middleware
 * and routing, no database, no session), which `npm run bench` measures the board read against.
 */
export const dynamic = 'force-static';

const BODY = { ok: true, service: 'tenantry', purpose: 'benchmark floor' };

export function GET() {
  return Response.json(BODY);
}
