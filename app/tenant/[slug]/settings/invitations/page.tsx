import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { InvitationActions } from '@/components/invitations/invitation-actions';
import { InviteForm } from '@/components/invitations/invite-form';
import { LiveInvitations } from '@/components/invitations/live-invitations';
import { SettingsFrame } from '@/components/settings/settings-frame';
import { toShellMember } from '@/components/shell/tenant-shell';
import { Alert, Card } from '@/components/ui/card';
import { type Column, DataTable, pageHref, type TableRow } from '@/components/ui/data-table';
import { TableToolbar } from '@/components/ui/table-toolbar';
import { withTenant } from '@/db/with-tenant';
import { requireMemberOrRedirect } from '@/lib/auth/session';
import { can } from '@/lib/authz/permissions';
import { assignableRoles, canAssignRole } from '@/lib/authz/rules';
import { isAppError } from '@/lib/errors/app-error';
import {
  INVITATION_FILTERS,
  INVITATION_SORTS,
  type InvitationFilter,
  type InvitationRow,
  type InvitationSort,
  listInvitations,
} from '@/lib/invitations/queries';

export const metadata: Metadata = { title: 'Invitations' };

const PATH = '/settings/invitations';

type Params = { status?: string; q?: string; sort?: string; direction?: string; cursor?: string };

const FILTER_LABELS: Record<InvitationFilter, string> = {
  pending: 'Pending',
  expired: 'Expired',
  accepted: 'Accepted',
  revoked: 'Revoked',
  all: 'All',
};

const STATE_STYLES: Record<InvitationRow['state'], string> = {
  pending: 'bg-brand-50 text-brand-700',
  expired: 'bg-amber-50 text-amber-800',
  accepted: 'bg-emerald-50 text-emerald-700',
  revoked: 'bg-slate-100 text-slate-600',
};

const pick = <T extends string>(value: string | undefined, allowed: readonly T[], fallback: T) =>
  allowed.includes(value as T) ? (value as T) : fallback;

const formatDate = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  });

function expiry(row: InvitationRow) {
  if (row.state !== 'pending') return row.state === 'expired' ? 'Expired' : '—';
  const days = Math.ceil((Date.parse(row.expiresAt) - Date.now()) / 86_400_000);
  return days <= 1 ? 'Within a day' : `In ${days} days`;
}

const COLUMNS: Column[] = [
  { key: 'email', label: 'Email', sortable: true },
  { key: 'role', label: 'Role' },
  { key: 'inviter', label: 'Invited by' },
  { key: 'sent', label: 'Sent', sortable: true },
  { key: 'actions', label: 'Actions', className: 'text-right' },
];

export default async function InvitationsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const member = await requireMemberOrRedirect(PATH);
  if (!can(member.role, 'invitation:manage')) notFound();
  const params = await searchParams;
  const filter = pick(params.status, INVITATION_FILTERS, 'pending');
  const sort = pick<InvitationSort>(params.sort, INVITATION_SORTS, 'sent');
  const direction = pick(
    params.direction,
    ['asc', 'desc'] as const,
    sort === 'sent' ? 'desc' : 'asc',
  );
  const search = (params.q ?? '').trim().slice(0, 254);
  const current = {
    status: params.status,
    q: params.q,
    sort: params.sort,
    direction: params.direction,
  };
  let page: Awaited<ReturnType<typeof listInvitations>>;
  let pageError: string | null = null;
  try {
    page = await withTenant({ tenantId: member.tenant.id, userId: member.userId }, (tx) =>
      listInvitations(tx, member.tenant.id, {
        filter,
        search,
        sort,
        direction,
        cursor: params.cursor ?? null,
      }),
    );
  } catch (error) {
    if (!isAppError(error)) throw error;
    pageError = error.message;
    page = { items: [], nextCursor: null };
  }
  const rows: TableRow[] = page.items.map((row) => ({
    id: row.id,
    cells: {
      email: (
        <div className="min-w-0">
          <span className="block break-all font-medium text-slate-900">{row.email}</span>
          <span
            className={`mt-1 inline-block rounded px-1.5 py-0.5 text-xs font-semibold capitalize ${STATE_STYLES[row.state]}`}
          >
            {row.state}
          </span>
        </div>
      ),
      role: <span className="capitalize">{row.role}</span>,
      inviter: row.inviterName ?? 'Former member',
      sent: (
        <span className="whitespace-nowrap">
          <time dateTime={row.lastSentAt}>{formatDate(row.lastSentAt)}</time>
          <span className="block text-xs text-slate-500">
            {row.sendCount > 1 ? `sent ${row.sendCount} times` : null}
            {row.sendCount > 1 && expiry(row) ? ', ' : null}
            {expiry(row) && <time dateTime={row.expiresAt}>{expiry(row)}</time>}
          </span>
        </span>
      ),
      actions:
        row.open && canAssignRole(member, row.role) ? (
          <InvitationActions id={row.id} version={row.version} email={row.email} />
        ) : null,
    },
  }));
  const roles = assignableRoles(member);
  const defaultRole = roles.includes(member.tenant.defaultRole)
    ? member.tenant.defaultRole
    : 'member';
  return (
    <SettingsFrame
      member={toShellMember(member)}
      title="Invitations"
      description={`Invite people to ${member.tenant.name} by email. Each invitation link works once and expires after 7 days; resending sends a new link.`}
    >
      <LiveInvitations tenantId={member.tenant.id} />
      <div className="space-y-6">
        <Card className="p-6">
          <h3 className="mb-4 text-base font-semibold text-slate-900">Invite people</h3>
          <InviteForm roles={roles} defaultRole={defaultRole} />
        </Card>
        <div>
          <TableToolbar
            search={{ name: 'q', label: 'Search by email', value: search, placeholder: 'name@' }}
            filters={[
              {
                name: 'status',
                label: 'Status',
                value: filter,
                options: INVITATION_FILTERS.map((value) => ({
                  value,
                  label: FILTER_LABELS[value],
                })),
              },
            ]}
            keep={{ sort: params.sort, direction: params.direction }}
          />
          {pageError && (
            <div className="mb-4">
              <Alert>{pageError}</Alert>
            </div>
          )}
          <DataTable
            caption="Invitations"
            columns={COLUMNS}
            rows={rows}
            sort={{ key: sort, direction }}
            hrefFor={pageHref(PATH, { ...current, cursor: params.cursor })}
            nextCursor={page.nextCursor}
            isFirstPage={!params.cursor}
            empty={
              search || filter !== 'pending'
                ? 'No invitations match this search.'
                : 'No pending invitations. Invite someone above: they appear here until they accept.'
            }
          />
        </div>
      </div>
    </SettingsFrame>
  );
}
