import Link from 'next/link';
import type { ReactNode } from 'react';
import { VerifyEmailBanner } from '@/components/account/verify-email-banner';
import { MembershipWatcher } from '@/components/members/membership-watcher';
import { firstSettingsHref } from '@/components/settings/sections';
import { Logo } from '@/components/ui/card';
import type { Role } from '@/db/schema/memberships';
import { signOutAction } from '@/lib/auth/actions';
import { type CurrentMember, needsTwoFactorSetup } from '@/lib/auth/session';
import { accentStyle } from '@/lib/organization/accent';
import { logoUrlOf } from '@/lib/organization/logo-url';
import { NavLink } from './nav-link';
import { OrganizationSwitcher } from './organization-switcher';

export type ShellMember = {
  organizationName: string;
  userName: string;
  email: string;
  role: Role;
  emailVerified: boolean;
  /** The organization's branding (lib/organization): its logo's versioned URL and its accent colour. */
  logoUrl: string | null;
  accentColor: string | null;
  /**
   * Whose membership the page follows live (components/members/membership-watcher.tsx). Null while the member
   * must set up two-factor sign-in first: they are on the set-up page, the only one they may open, and the
   * realtime server refuses them until then, which the watcher would take for news and refresh the page,
   * remounting the set-up form and dropping what they were typing.
   */
  watch: { tenantId: string; userId: string } | null;
};

const nav = (role: Role) => [
  { href: '/', label: 'Dashboard' },
  { href: '/projects', label: 'Projects' },
  { href: firstSettingsHref(role), match: '/settings', label: 'Settings' },
];

/**
 * The signed-in frame of every tenant page. It renders what the page already verified; it never decides
 * access itself, since layouts do not re-run on client navigation.
 */
export function TenantShell({
  member,
  title,
  actions,
  children,
}: {
  member: ShellMember;
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-screen" style={accentStyle(member.accentColor)}>
      {member.watch && (
        <MembershipWatcher tenantId={member.watch.tenantId} userId={member.watch.userId} />
      )}
      <aside className="hidden w-60 shrink-0 flex-col border-r border-slate-200 bg-white px-4 py-5 md:flex">
        <Link href="/" className="px-2">
          <Logo />
        </Link>
        {member.logoUrl && (
          // biome-ignore lint/performance/noImgElement: a small logo of our own, cached by its versioned URL.
          <img
            src={member.logoUrl}
            alt={`${member.organizationName} logo`}
            className="mt-6 ml-2 size-10 rounded-md object-contain"
          />
        )}
        <OrganizationSwitcher organizationName={member.organizationName} />
        <nav aria-label="Main" className="mt-2 flex flex-col gap-0.5">
          {nav(member.role).map((item) => (
            <NavLink key={item.label} href={item.href} match={item.match}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <div className="mt-auto border-t border-slate-200 px-2 pt-4">
          <p className="truncate text-sm font-medium text-slate-900">{member.userName}</p>
          <p className="truncate text-xs text-slate-500">{member.email}</p>
          <p className="mt-1 inline-block rounded bg-brand-50 px-1.5 py-0.5 text-xs font-medium capitalize text-brand-700">
            {member.role}
          </p>
          <form action={signOutAction} className="mt-3">
            <button
              type="submit"
              className="text-sm font-medium text-slate-600 hover:text-slate-900"
            >
              Sign out
            </button>
          </form>
        </div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        {!member.emailVerified && <VerifyEmailBanner email={member.email} />}
        <header className="flex items-center justify-between gap-4 border-b border-slate-200 bg-white px-6 py-4">
          <div className="min-w-0">
            <p className="truncate text-xs font-medium text-slate-500 md:hidden">
              {member.organizationName}
            </p>
            <h1 className="truncate text-lg font-semibold text-slate-900">{title}</h1>
          </div>
          <div className="flex items-center gap-3">
            {actions}
            <form action={signOutAction} className="md:hidden">
              <button type="submit" className="text-sm font-medium text-slate-600">
                Sign out
              </button>
            </form>
          </div>
        </header>
        <main className="flex-1 px-6 py-6">{children}</main>
      </div>
    </div>
  );
}

export const toShellMember = (m: CurrentMember): ShellMember => ({
  organizationName: m.tenant.name,
  logoUrl: logoUrlOf(m.tenant),
  accentColor: m.tenant.accentColor,
  userName: m.name,
  email: m.email,
  role: m.role,
  emailVerified: m.emailVerified,
  watch: needsTwoFactorSetup(m) ? null : { tenantId: m.tenant.id, userId: m.userId },
});
