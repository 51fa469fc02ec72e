import 'server-only';
import { requirePermission } from '@/lib/auth/session';
import { toErrorResponse } from '@/lib/errors/app-error';
import { getRequestMeta } from '@/lib/http/request-meta';
import { consumeRateLimit, LIMITS } from '@/lib/rate-limit/limit';
import { auditExportStream, exportFileName, recordExport } from './export';
import { parseAuditFilters } from './filters';

/**
 * GET /api/audit-log/export on the tenant host, with the audit log page's filters: the trail as a CSV
 * download, streamed (lib/audit/export.ts). Owners and admins only (`audit:read`), checked here whatever the
 * page showed, and again for every batch. Bad filters are a 400 in the project's error shape, before any
 * row is read or the export recorded.
 */
export async function exportAuditLog(request: Request): Promise<Response> {
  try {
    const member = await requirePermission('audit:read');
    const filters = parseAuditFilters(new URL(request.url).searchParams);
    await consumeRateLimit(LIMITS.auditExportPerUser, `${member.tenant.id}:${member.userId}`);
    await recordExport(member, filters, await getRequestMeta());
    return new Response(auditExportStream(member, filters), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${exportFileName(member.tenant.slug)}"`,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch (error) {
    return toErrorResponse(error);
  }
}
