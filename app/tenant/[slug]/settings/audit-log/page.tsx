import type { Metadata } from 'next';
import {
  AuditActionCell,
  AuditActorCell,
  AuditChangesCell,
  AuditTargetCell,
  AuditTime,
  AuditUserAgentCell,
} from '@/components/audit/audit-entry-cells';
import { type AuditFilterValues, AuditLogFilters } from '@/components/audit/audit-log-filters';
import { SettingsFrame } from '@/components/settings/settings-frame';
import { toShellMember } from '@/components/shell/tenant-shell';
import { Alert } from '@/components/ui/card';
import { type Column, DataTable, pageHref } from '@/components/ui/data-table';
import { withTenant } from '@/db/with-tenant';
import {
  type AuditFilters,
  filterParams,
  isInvalidFilter,
  parseAuditFilters,
} from '@/lib/audit/filters';
import { listAuditActors, listAuditEvents } from '@/lib/audit/queries';
import { requireMemberOrRedirect } from '@/lib/auth/session';
import { can } from '@/lib/authz/permissions';
import type { AppError } from '@/lib/errors/app-error';

export const metadata: Metadata = { title: 'Audit log' };

const PATH = '/settings/audit-log';

const COLUMNS: Column[] = [
  { key: 'time', label: 'Time' },
  { key: 'actor', label: 'Actor' },
  { key: 'action', label: 'Action' },
  { key: 'target', label: 'Target' },
  { key: 'changes', label: 'Changes' },
  { key: 'ip', label: 'IP address', className: 'whitespace-nowrap' },
  { key: 'userAgent', label: 'User agent' },
];

const FIELD_LABELS: Record<string, string> = {
  actor: 'Actor',
  action: 'Action',
  targetType: 'Target',
  targetId: 'Target id',
  from: 'From',
  to: 'To',
  cursor: 'Page',
};

type SearchParams = Record<string, string | string[] | undefined>;

/** The query string's filters as typed, shown back in the form even when they do not parse. */
function rawValues(params: SearchParams): AuditFilterValues {
  const first = (key: string) => {
    const value = params[key];
    return (Array.isArray(value) ? value[0] : value)?.slice(0, 200);
  };
  return {
    actor: first('actor'),
    action: first('action'),
    targetType: first('targetType'),
    targetId: first('targetId'),
    from: first('from'),
    to: first('to'),
  };
}

export default async function AuditLogPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const member = await requireMemberOrRedirect(PATH);
  const shell = toShellMember(member);
  const title = 'Audit log';
  if (!can(member.role, 'audit:read')) {
    return (
      <SettingsFrame member={shell} title={title}>
        <Alert>Only owners and admins can read the audit log.</Alert>
      </SettingsFrame>
    );
  }
  const params = await searchParams;
  const ctx = { tenantId: member.tenant.id, userId: member.userId };
  let filters: AuditFilters | null = null;
  let invalid: AppError | null = null;
  try {
    filters = parseAuditFilters(params);
  } catch (error) {
    if (!isInvalidFilter(error)) throw error;
    invalid = error;
  }
  const { actors, page } = await withTenant(ctx, async (tx) => {
    const actors = await listAuditActors(tx, member.tenant.id);
    if (!filters) return { actors, page: null };
    try {
      return { actors, page: await listAuditEvents(tx, member.tenant.id, filters) };
    } catch (error) {
      if (!isInvalidFilter(error)) throw error;
      invalid = error;
      return { actors, page: null };
    }
  });
  const byId = new Map(actors.map((a) => [a.userId, a]));
  const current = filters ? filterParams(filters) : {};
  const hrefFor = pageHref(PATH, { ...current, cursor: filters?.cursor });
  const filtered = Object.keys(current).length > 0;
  const exportQuery = new URLSearchParams(current).toString();
  const fieldErrors = (invalid as AppError | null)?.details.fieldErrors ?? {};

  return (
    <SettingsFrame
      member={shell}
      title={title}
      description="Every admin and security action in the organization: who did it, when, from where, and what changed. Newest first; times in UTC."
      actions={
        page && (
          <a
            href={`/api/audit-log/export${exportQuery ? `?${exportQuery}` : ''}`}
            download
            className="rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-400"
          >
            Export CSV
          </a>
        )
      }
    >
      <AuditLogFilters values={rawValues(params)} actors={actors} fieldErrors={fieldErrors} />
      {invalid && (
        <div className="mb-4">
          <Alert>
            <p className="font-medium">These filters cannot be used.</p>
            <ul className="mt-1 list-disc pl-5">
              {Object.keys(fieldErrors).length === 0 && <li>{(invalid as AppError).message}</li>}
              {Object.entries(fieldErrors).map(([field, message]) => (
                <li key={field}>
                  {FIELD_LABELS[field] ?? field}: {message}
                </li>
              ))}
            </ul>
          </Alert>
        </div>
      )}
      {page && (
        <DataTable
          caption="Audit log"
          columns={COLUMNS}
          rows={page.items.map((row) => ({
            id: row.id,
            cells: {
              time: <AuditTime row={row} />,
              actor: (
                <AuditActorCell
                  row={row}
                  actor={row.actorUserId ? byId.get(row.actorUserId) : undefined}
                />
              ),
              action: <AuditActionCell row={row} />,
              target: <AuditTargetCell row={row} />,
              changes: <AuditChangesCell row={row} />,
              ip: row.ip ?? <span className="text-slate-400">—</span>,
              userAgent: <AuditUserAgentCell row={row} />,
            },
          }))}
          hrefFor={hrefFor}
          nextCursor={page.nextCursor}
          isFirstPage={!filters?.cursor}
          empty={
            filtered
              ? 'No entries match these filters.'
              : 'Nothing has been recorded yet. Sign-ins, changes to members and settings, and work on projects will appear here.'
          }
        />
      )}
    </SettingsFrame>
  );
}
