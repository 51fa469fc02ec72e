import type { Metadata } from 'next';
import { ProjectsClient } from '@/components/projects/projects-client';
import { TenantShell, toShellMember } from '@/components/shell/tenant-shell';
import { withTenant } from '@/db/with-tenant';
import { requireMemberOrRedirect } from '@/lib/auth/session';
import { can } from '@/lib/authz/permissions';
import { listProjects } from '@/lib/projects/queries';

export const metadata: Metadata = { title: 'Projects' };

export default async function ProjectsPage() {
  const member = await requireMemberOrRedirect('/projects');
  const projects = await withTenant({ tenantId: member.tenant.id, userId: member.userId }, (tx) =>
    listProjects(tx, member.tenant.id),
  );
  return (
    <TenantShell member={toShellMember(member)} title="Projects">
      <ProjectsClient
        tenantId={member.tenant.id}
        initialProjects={projects}
        permissions={{
          create: can(member.role, 'project:create'),
          update: can(member.role, 'project:update'),
          delete: can(member.role, 'project:delete'),
        }}
      />
    </TenantShell>
  );
}
