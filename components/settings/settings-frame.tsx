import type { ReactNode } from 'react';
import { NavLink } from '@/components/shell/nav-link';
import { type ShellMember, TenantShell } from '@/components/shell/tenant-shell';
import { visibleSettingsSections } from './sections';

/**
 * Every settings page: the tenant shell, the dashboard's section menu (only the sections the viewer's role
 * may see), then the section itself under its title and description.
 */
export function SettingsFrame({
  member,
  title,
  description,
  actions,
  children,
}: {
  member: ShellMember;
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <TenantShell member={member} title="Settings">
      <div className="flex flex-col gap-6 lg:flex-row">
        <nav
          aria-label="Settings"
          className="flex shrink-0 gap-1 overflow-x-auto lg:w-48 lg:flex-col"
        >
          {visibleSettingsSections(member.role).map((section) => (
            <NavLink key={section.href} href={section.href}>
              {section.label}
            </NavLink>
          ))}
        </nav>
        <section aria-labelledby="settings-section-title" className="min-w-0 flex-1">
          <div className="mb-5 flex flex-wrap items-start justify-between gap-3">
            <div>
              <h2 id="settings-section-title" className="text-xl font-semibold text-slate-900">
                {title}
              </h2>
              {description && (
                <p className="mt-1 max-w-2xl text-sm text-slate-600">{description}</p>
              )}
            </div>
            {actions && <div className="flex items-center gap-2">{actions}</div>}
          </div>
          {children}
        </section>
      </div>
    </TenantShell>
  );
}
