import type { Metadata } from 'next';
import Link from 'next/link';
import { LeaveOrganization } from '@/components/members/leave-organization';
import { MemberActions } from '@/components/members/member-actions';
import { MembersLive } from '@/components/members/members-live';
import { SettingsFrame } from '@/components/settings/settings-frame';
import { toShellMember } from '@/components/shell/tenant-shell';
import { Alert } from '@/components/ui/card';
import { type Column, DataTable, pageHref } from '@/components/ui/data-table';
import { TableToolbar } from '@/components/ui/table-toolbar';
import { membershipStatuses, roles } from '@/db/schema/memberships';
import { withTenant } from '@/db/with-tenant';
import { requireMemberOrRedirect } from '@/lib/auth/session';
import { can } from '@/lib/authz/permissions';
import { isAppError } from '@/lib/errors/app-error';
import { anyMemberAction, memberActionsAllowed } from '@/lib/members/allowed';
import { listMembers, type MemberRow } from '@/lib/members/queries';
import { memberListParamsSchema } from '@/lib/members/schemas';

export const metadata: Metadata = { title: 'Members' };

const PATH = '/settings/members';

const COLUMNS: Column[] = [
  { key: 'name', label: 'Name', sortable: true },
  { key: 'email', label: 'Email' },
  { key: 'role', label: 'Role', sortable: true },
  { key: 'status', label: 'Status' },
  { key: 'twoFactor', label: 'Two-factor' },
  { key: 'last_active', label: 'Last active', sortable: true },
  { key: 'joined', label: 'Joined', sortable: true },
  { key: 'actions', label: 'Actions', className: 'text-right' },
];

const capitalize = (s: string) => s[0]!.toUpperCase() + s.slice(1);

const DATE = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });
const DATE_TIME = new Intl.DateTimeFormat('en', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

function When({ iso, withTime = false }: { iso: string | null; withTime?: boolean }) {
  if (!iso) return <span className="text-slate-400">Never</span>;
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={`${DATE_TIME.format(date)} UTC`}>
      {(withTime ? DATE_TIME : DATE).format(date)}
    </time>
  );
}

const STATUS_STYLES: Record<MemberRow['status'], string> = {
  active: 'bg-emerald-50 text-emerald-700',
  deactivated: 'bg-amber-50 text-amber-800',
  removed: 'bg-slate-100 text-slate-600',
};

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * The organization's directory: everyone in it sees who is in it and their emails; owners and admins also
 * change roles, deactivate, reactivate and remove, within lib/authz/rules.ts. Search, sort, filters and the
 * page live in the URL (a GET form and links), so the table works before hydration and with the keyboard.
 */
export default async function MembersPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const member = await requireMemberOrRedirect(PATH);
  const raw = await searchParams;
  const params = memberListParamsSchema.parse(
    Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, first(v)])),
  );
  const current = {
    q: params.q || undefined,
    role: params.role ?? undefined,
    status: params.status ?? undefined,
    sort: params.sort,
    direction: params.direction,
    cursor: params.cursor ?? undefined,
  };
  const hrefFor = pageHref(PATH, current);
  const ctx = { tenantId: member.tenant.id, userId: member.userId };
  let page: Awaited<ReturnType<typeof listMembers>> | null = null;
  let pageError: string | null = null;
  try {
    page = await withTenant(ctx, (tx) => listMembers(tx, member.tenant.id, params));
  } catch (error) {
    if (!isAppError(error) || error.code !== 'invalid') throw error;
    pageError = error.message;
  }
  const actor = { userId: member.userId, role: member.role };
  const filtered = Boolean(params.q || params.role || params.status);

  return (
    <SettingsFrame
      member={toShellMember(member)}
      title="Members"
      description={
        can(member.role, 'member:manage')
          ? 'Everyone in your organization. Changes apply on each person’s next request.'
          : 'Everyone in your organization. Owners and admins manage memberships.'
      }
      actions={
        <>
          <MembersLive tenantId={member.tenant.id} admin={can(member.role, 'member:manage')} />
          <LeaveOrganization organizationName={member.tenant.name} />
        </>
      }
    >
      <TableToolbar
        search={{
          name: 'q',
          label: 'Search by name or email',
          value: params.q,
          placeholder: 'Name or email',
        }}
        filters={[
          {
            name: 'role',
            label: 'Role',
            value: params.role ?? '',
            options: [
              { value: '', label: 'Any role' },
              ...roles.map((r) => ({ value: r, label: capitalize(r) })),
            ],
          },
          {
            name: 'status',
            label: 'Status',
            value: params.status ?? '',
            options: [
              { value: '', label: 'Active and deactivated' },
              ...membershipStatuses.map((s) => ({ value: s, label: capitalize(s) })),
            ],
          },
        ]}
        keep={{ sort: params.sort, direction: params.direction }}
      />
      {pageError || !page ? (
        <Alert>
          {pageError}{' '}
          <Link href={hrefFor({ cursor: null })} className="font-semibold underline">
            First page
          </Link>
        </Alert>
      ) : (
        <DataTable
          caption="Members"
          columns={COLUMNS}
          sort={{ key: params.sort, direction: params.direction }}
          hrefFor={hrefFor}
          nextCursor={page.nextCursor}
          isFirstPage={!params.cursor}
          empty={
            filtered ? (
              <>
                No members match these filters.{' '}
                <Link href={PATH} className="font-semibold text-brand-700 hover:underline">
                  Clear them
                </Link>
              </>
            ) : (
              'No members yet.'
            )
          }
          rows={page.items.map((m) => {
            const allowed = memberActionsAllowed(actor, m);
            return {
              id: m.userId,
              cells: {
                name: (
                  <span className="font-medium text-slate-900">
                    {m.name}
                    {m.userId === member.userId && (
                      <span className="ml-1.5 text-xs font-normal text-slate-500">(you)</span>
                    )}
                  </span>
                ),
                email: m.email,
                role: capitalize(m.role),
                status: (
                  <span
                    className={`rounded px-1.5 py-0.5 text-xs font-semibold ${STATUS_STYLES[m.status]}`}
                  >
                    {capitalize(m.status)}
                  </span>
                ),
                twoFactor: m.twoFactor ? 'On' : <span className="text-slate-500">Off</span>,
                last_active: <When iso={m.lastActiveAt} withTime />,
                joined: <When iso={m.joinedAt} />,
                actions: anyMemberAction(allowed) ? (
                  <MemberActions
                    member={{
                      userId: m.userId,
                      name: m.name,
                      role: m.role,
                      status: m.status,
                      version: m.version,
                    }}
                    allowed={allowed}
                  />
                ) : null,
              },
            };
          })}
        />
      )}
    </SettingsFrame>
  );
}
