import type { Metadata } from 'next';
import { SettingsFrame } from '@/components/settings/settings-frame';
import { toShellMember } from '@/components/shell/tenant-shell';
import { TwoFactorManage } from '@/components/two-factor/two-factor-manage';
import { TwoFactorRequirement } from '@/components/two-factor/two-factor-requirement';
import { TwoFactorSetup } from '@/components/two-factor/two-factor-setup';
import { Alert, Card } from '@/components/ui/card';
import { withTenant } from '@/db/with-tenant';
import {
  needsTwoFactorSetup,
  requireMemberOrRedirect,
  TWO_FACTOR_SETUP_PATH,
} from '@/lib/auth/session';
import { can } from '@/lib/authz/permissions';
import { getTwoFactorStatus } from '@/lib/two-factor/store';

export const metadata: Metadata = { title: 'Security' };

export default async function SecurityPage() {
  // Open to members whose organization requires two-factor sign-in: this is where they set it up.
  const member = await requireMemberOrRedirect(TWO_FACTOR_SETUP_PATH, { accountSecurity: true });
  const status = await withTenant({ tenantId: member.tenant.id, userId: member.userId }, (tx) =>
    getTwoFactorStatus(tx, member.userId),
  );
  return (
    <SettingsFrame member={toShellMember(member)} title="Security">
      <div className="max-w-4xl space-y-6">
        {needsTwoFactorSetup(member) && (
          <Alert>
            {member.tenant.name} requires two-factor authentication. Set it up below to continue
            using the organization.
          </Alert>
        )}
        <Card className="p-6">
          <h2 className="text-base font-semibold text-slate-900">Two-factor authentication</h2>
          <p className="mt-1 mb-5 text-sm text-slate-600">
            After your password, sign-in asks for a code from an app on your phone, so a stolen
            password alone is not enough. It applies in every organization you belong to.
          </p>
          {status.enabled && status.enabledAt ? (
            <TwoFactorManage
              enabledAt={status.enabledAt.toISOString()}
              recoveryCodesLeft={status.recoveryCodesLeft}
            />
          ) : (
            <TwoFactorSetup />
          )}
        </Card>
        {can(member.role, 'organization:manage') && (
          <Card className="p-6">
            <h2 className="text-base font-semibold text-slate-900">
              Organization: two-factor requirement
            </h2>
            <p className="mt-1 mb-5 text-sm text-slate-600">Only owners see and change this.</p>
            <TwoFactorRequirement
              organization={member.tenant.name}
              required={member.tenant.requireTwoFactor}
              ownTwoFactor={status.enabled}
            />
          </Card>
        )}
      </div>
    </SettingsFrame>
  );
}
