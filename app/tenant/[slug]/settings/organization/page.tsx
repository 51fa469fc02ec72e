import type { Metadata } from 'next';
import { OrganizationSettingsClient } from '@/components/organization/organization-settings';
import { SettingsFrame } from '@/components/settings/settings-frame';
import { toShellMember } from '@/components/shell/tenant-shell';
import { Alert } from '@/components/ui/card';
import { withTenant } from '@/db/with-tenant';
import { requireMemberOrRedirect } from '@/lib/auth/session';
import { can } from '@/lib/authz/permissions';
import { getEnv } from '@/lib/config/env';
import { getOrganizationSettings, verifiedDomainOf } from '@/lib/organization/queries';

export const metadata: Metadata = { title: 'Organization' };

export default async function OrganizationSettingsPage() {
  const member = await requireMemberOrRedirect('/settings/organization');
  const shell = toShellMember(member);
  if (!can(member.role, 'organization:manage')) {
    return (
      <SettingsFrame member={shell} title="Organization">
        <Alert>Only owners of {member.tenant.name} can see and change its settings.</Alert>
      </SettingsFrame>
    );
  }
  const { settings, ownDomain } = await withTenant(
    { tenantId: member.tenant.id, userId: member.userId },
    async (tx) => ({
      settings: await getOrganizationSettings(tx, member.tenant.id),
      ownDomain: await verifiedDomainOf(tx, member.userId),
    }),
  );
  const env = getEnv();
  return (
    <SettingsFrame
      member={shell}
      title="Organization"
      description={`Settings of ${settings.name} for everyone in it. Only owners see this page.`}
    >
      <OrganizationSettingsClient
        settings={settings}
        ownDomain={ownDomain}
        rootDomain={env.rootDomain}
        protocol={env.protocol}
      />
    </SettingsFrame>
  );
}
