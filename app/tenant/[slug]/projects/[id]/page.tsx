import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { BoardClient } from '@/components/board/board-client';
import { TenantShell, toShellMember } from '@/components/shell/tenant-shell';
import { type CurrentMember, requireMemberOrRedirect } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors/app-error';
import { readBoardOrThrow } from '@/lib/tasks/board-cache';
import { projectIdParam } from '@/lib/tasks/schemas';

export const metadata: Metadata = { title: 'Board' };

async function loadBoard(member: CurrentMember, id: string) {
  try {
    return await readBoardOrThrow(member, projectIdParam(id));
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
}

export default async function BoardPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ task?: string }>;
}) {
  const { id } = await params;
  const member = await requireMemberOrRedirect(`/projects/${id}`);
  const board = await loadBoard(member, id);
  const { task } = await searchParams;
  return (
    <TenantShell
      member={toShellMember(member)}
      title={board.project.name}
      actions={
        <Link href="/projects" className="text-sm font-medium text-slate-600 hover:text-slate-900">
          ← All projects
        </Link>
      }
    >
      <BoardClient
        tenantId={member.tenant.id}
        userId={member.userId}
        initialBoard={board}
        initialTaskId={typeof task === 'string' && /^[0-9a-f-]{36}$/.test(task) ? task : null}
        role={member.role}
      />
    </TenantShell>
  );
}
