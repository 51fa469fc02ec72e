import type { ChannelRegistry } from './channels';
import { measureJsonBytes } from './json-size';
import {
  getChannelKind,
  MAX_CHANNEL_NAME_LENGTH,
  MAX_USER_INFO_BYTES,
  type PresenceMember,
  parsePresenceChannelData,
  type SubscriptionRefusalKind,
  USER_CHANNEL_PREFIX,
} from './protocol';
import { type AppCredentials, verifyChannelAuth } from './signatures';

export type SubscriptionDecision =
  | { ok: true; member?: PresenceMember }
  | { ok: false; refusal: SubscriptionRefusalKind; error: string };

export interface SubscriptionPolicy {
  credentials: AppCredentials;
  channels: ChannelRegistry;
  maxPresenceMembers: number;
}

export interface SubscriptionRequest {
  socketId: string;
  signedInUserId: string | undefined;
  channel: string;
  auth: string;
  channelData: string | undefined;
}

function refuse(refusal: SubscriptionRefusalKind, error: string): SubscriptionDecision {
  return { ok: false, refusal, error };
}

/**
 * Whether a socket may subscribe, and as which presence member. The signature is checked
 * before any limit, so a socket that may not join learns nothing about the channel.
 */
export function decideSubscription(
  policy: SubscriptionPolicy,
  request: SubscriptionRequest,
): SubscriptionDecision {
  const { credentials } = policy;
  const { socketId, channel, auth, channelData } = request;
  switch (getChannelKind(channel)) {
    case null:
      return channel.length > MAX_CHANNEL_NAME_LENGTH
        ? refuse(
            'channelNameTooLong',
            `Channel names are at most ${MAX_CHANNEL_NAME_LENGTH} characters`,
          )
        : refuse('invalidChannelName', 'Invalid channel name');
    case 'public':
      return { ok: true };
    case 'user':
      return channel.slice(USER_CHANNEL_PREFIX.length) === request.signedInUserId
        ? { ok: true }
        : refuse('unauthorized', 'Not signed in as this user');
    case 'private':
      return verifyChannelAuth(credentials, { socketId, channel, auth })
        ? { ok: true }
        : refuse('unauthorized', 'Invalid signature');
    case 'presence': {
      if (channelData === undefined) return refuse('unauthorized', 'Missing channel_data');
      if (!verifyChannelAuth(credentials, { socketId, channel, auth, channelData })) {
        return refuse('unauthorized', 'Invalid signature');
      }
      const member = parsePresenceChannelData(channelData);
      if (member === null) return refuse('unauthorized', 'Invalid channel_data');
      if (measureJsonBytes(member.userInfo, MAX_USER_INFO_BYTES) > MAX_USER_INFO_BYTES) {
        return refuse('userInfoTooLarge', `user_info is over ${MAX_USER_INFO_BYTES} bytes`);
      }
      if (!policy.channels.hasRoomFor(channel, member.userId, policy.maxPresenceMembers)) {
        return refuse(
          'presenceChannelFull',
          `Presence channels hold at most ${policy.maxPresenceMembers} members`,
        );
      }
      return { ok: true, member };
    }
  }
}
