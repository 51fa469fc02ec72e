import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { projects, tasks } from '@/db/schema';
import { withTenant } from '@/db/with-tenant';
import { type CurrentMember, requireMember } from '@/lib/auth/session';
import { can } from '@/lib/authz/permissions';
import { AppError } from '@/lib/errors/app-error';
import { isSocketId, parseTenantChannel } from './channels';
import { getPusher } from './pusher';

const socketId = z.string().refine(isSocketId, 'socket_id is missing or malformed.');

/** What pusher-js posts (form-encoded) to authorize a channel, and to sign a connection in. */
export const channelAuthSchema = z.object({
  socket_id: socketId,
  // Anything that is not one of this tenant's channel names is refused by authorizeChannel.
  channel_name: z.string().max(200, 'This channel name is too long.'),
});
export const userAuthSchema = z.object({ socket_id: socketId });

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
export async function authorizeChannel({
  socket_id: socketId,
  channel_name: channelName,
}: z.output<typeof channelAuthSchema>) {
  const member = await requireMember();
  const channel = parseTenantChannel(channelName);
  if (!channel || channel.tenantId !== member.tenant.id) {
    throw new AppError('forbidden', 'You may not subscribe to this channel.');
  }
  if (channel.kind === 'admins' && !can(member.role, 'member:manage')) {
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
export async function authenticateRealtimeUser({
  socket_id: socketId,
}: z.output<typeof userAuthSchema>) {
  const member = await requireMember();
  return getPusher().authenticateUser(socketId, {
    id: member.sessionId,
    user_info: { userId: member.userId, name: member.name },
  });
}
