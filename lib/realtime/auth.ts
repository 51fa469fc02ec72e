import 'server-only';
import { and, eq } from 'drizzle-orm';
import { projects, tasks } from '@/db/schema';
import { withTenant } from '@/db/with-tenant';
import { type CurrentMember, requireMember } from '@/lib/auth/session';
import { AppError } from '@/lib/errors/app-error';
import { isSocketId, parseTenantChannel } from './channels';
import { getPusher } from './pusher';

async function readForm(request: Request) {
  const form = new URLSearchParams(await request.text());
  const socketId = form.get('socket_id') ?? '';
  if (!isSocketId(socketId)) throw new AppError('invalid', 'socket_id is missing or malformed.');
  return { socketId, channelName: form.get('channel_name') ?? '' };
}

/** A board's or task's presence exists only for a project or task of this tenant (checked under RLS). */
async function requireScopeExists(
  member: CurrentMember,
  scope: { type: 'project' | 'task'; id: string },
) {
  const table = scope.type === 'project' ? projects : tasks;
  const [row] = await withTenant({ tenantId: member.tenant.id, userId: member.userId }, (tx) =>
    tx
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.tenantId, member.tenant.id), eq(table.id, scope.id))),
  );
  if (!row) throw new AppError('forbidden', 'You may not subscribe to this channel.');
}

/**
 * Authorizes one channel for the signed-in member of the host's tenant: only that tenant's exact channel
 * names, and presence identity from the session, never from the client.
 */
export async function authorizeChannel(request: Request) {
  const { socketId, channelName } = await readForm(request);
  const member = await requireMember();
  const channel = parseTenantChannel(channelName);
  if (!channel || channel.tenantId !== member.tenant.id) {
    throw new AppError('forbidden', 'You may not subscribe to this channel.');
  }
  if (channel.kind === 'presence' && channel.scope) {
    await requireScopeExists(member, channel.scope);
  }
  if (channel.kind === 'presence') {
    return getPusher().authorizeChannel(socketId, channelName, {
      user_id: member.userId,
      user_info: { name: member.name },
    });
  }
  return getPusher().authorizeChannel(socketId, channelName);
}

/** Signs the connection in as the session (not the user), so revoking one session drops just its sockets. */
export async function authenticateRealtimeUser(request: Request) {
  const { socketId } = await readForm(request);
  const member = await requireMember();
  return getPusher().authenticateUser(socketId, {
    id: member.sessionId,
    user_info: { userId: member.userId, name: member.name },
  });
}
