import type { Metadata } from 'next';
import Link from 'next/link';
import { TenantShell, toShellMember } from '@/components/shell/tenant-shell';
import { Card } from '@/components/ui/card';
import { requireMemberOrRedirect } from '@/lib/auth/session';
import { countProjects } from '@/lib/projects/queries';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  const member = await requireMemberOrRedirect('/');
  const projectCount = await countProjects(member);
  return (
    <TenantShell member={toShellMember(member)} title="Dashboard">
      <div className="grid max-w-5xl gap-6">
        <Card className="p-6">
          {/* Element Timing: when the greeting was painted, for real-user monitoring and `npm run bench`. */}
          <h2 elementtiming="dashboard-welcome" className="text-base font-semibold text-slate-900">
            Welcome, {member.name}
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            You are signed in to <strong>{member.tenant.name}</strong> as{' '}
            <span className="capitalize">{member.role}</span>.
          </p>
        </Card>
        <div className="grid gap-4 sm:grid-cols-2">
          <Card className="p-6">
            <p className="text-sm text-slate-500">Projects</p>
            <p className="mt-1 text-3xl font-semibold text-slate-900">{projectCount}</p>
            <Link
              href="/projects"
              className="mt-3 inline-block text-sm font-semibold text-brand-600 hover:text-brand-700"
            >
              {projectCount === 0 ? 'Create your first project →' : 'View projects →'}
            </Link>
          </Card>
          <Card className="p-6">
            <p className="text-sm text-slate-500">Your address</p>
            <p className="mt-1 truncate text-lg font-semibold text-slate-900">
              {member.tenant.slug}
            </p>
            <p className="mt-3 text-sm text-slate-500">
              Share it with your team: they sign in here.
            </p>
          </Card>
        </div>
      </div>
    </TenantShell>
  );
}
