import type { Metadata } from 'next';
import { SessionsList } from '@/components/account/sessions-list';
import { SettingsFrame } from '@/components/settings/settings-frame';
import { toShellMember } from '@/components/shell/tenant-shell';
import { withTenant } from '@/db/with-tenant';
import { listMySessions } from '@/lib/account/sessions';
import { requireMemberOrRedirect } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Sessions' };

export default async function SessionsPage() {
  const member = await requireMemberOrRedirect('/settings/sessions', { accountSecurity: true });
  const sessions = await withTenant({ tenantId: member.tenant.id, userId: member.userId }, (tx) =>
    listMySessions(tx, member),
  );
  return (
    <SettingsFrame member={toShellMember(member)} title="Sessions">
      <SessionsList sessions={sessions} />
    </SettingsFrame>
  );
}
