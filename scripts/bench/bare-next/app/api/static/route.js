/** The same constant answer as the app's own /api/static, built once at build time. */
export const dynamic = 'force-static';

const BODY = { ok: true, service: 'tenantry', purpose: 'benchmark floor' };

export function GET() {
  return Response.json(BODY);
}
