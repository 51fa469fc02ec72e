import 'server-only';
import { getCurrentMember } from '@/lib/auth/session';
import { AppError } from '@/lib/errors/app-error';
import { isSocketId, parseTenantChannel } from './channels';
import { getPusher } from './pusher';

async function readForm(request: Request) {
  const form = new URLSearchParams(await request.text());
  const socketId = form.get('socket_id') ?? '';
  if (!isSocketId(socketId)) throw new AppError('invalid', 'socket_id is missing or malformed.');
  return { socketId, channelName: form.get('channel_name') ?? '' };
}

async function requireMember() {
  const member = await getCurrentMember();
  if (!member) throw new AppError('unauthenticated', 'Sign in to receive live updates.');
  return member;
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
