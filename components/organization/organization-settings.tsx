'use client';

import type { OrganizationSettings } from '@/lib/organization/queries';
import { BrandingSection } from './branding-section';
import { GeneralSection } from './general-section';
import { AuditSection, JoiningSection, SecuritySection } from './policy-sections';
import { SettingsVersionProvider } from './settings-form';

/** The Organization page's sections, sharing one settings version (see SettingsVersionProvider). */
export function OrganizationSettingsClient({
  settings,
  ownDomain,
  rootDomain,
  protocol,
}: {
  settings: OrganizationSettings;
  ownDomain: string | null;
  rootDomain: string;
  protocol: string;
}) {
  return (
    <SettingsVersionProvider version={settings.version}>
      <div className="max-w-4xl space-y-6">
        <GeneralSection
          name={settings.name}
          slug={settings.slug}
          rootDomain={rootDomain}
          protocol={protocol}
        />
        <BrandingSection logoUrl={settings.logoUrl} accentColor={settings.accentColor} />
        <JoiningSection
          defaultRole={settings.defaultRole}
          allowedEmailDomains={settings.allowedEmailDomains}
          ownDomain={ownDomain}
        />
        <SecuritySection
          sessionIdleDays={settings.sessionIdleDays}
          requireTwoFactor={settings.requireTwoFactor}
        />
        <AuditSection auditRetention={settings.auditRetention} />
      </div>
    </SettingsVersionProvider>
  );
}
