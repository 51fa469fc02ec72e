// Pusher Channels protocol 7: message shapes, limits and channel names, as the
// official `pusher-js` client and `pusher` server SDK expect them.

export const PROTOCOL_VERSION = '7';
export const MAX_CHANNEL_NAME_LENGTH = 164;
export const MAX_EVENT_NAME_LENGTH = 200;
export const MAX_EVENT_DATA_BYTES = 10 * 1024;
export const MAX_USER_ID_LENGTH = 128;
// Pusher's own limit on presence `user_info`, kept so development fails where production would.
export const MAX_USER_INFO_BYTES = 1024;
export const USER_CHANNEL_PREFIX = '#server-to-user-';

// Codes of `pusher:error` frames and of close frames, as Pusher documents them. pusher-js
// acts on a close code by range: 4000-4099 it does not reconnect, 4100-4199 it reconnects
// after a back-off, 4200-4299 at once; 4300 and above are other errors.
export const CloseCode = {
  appDoesNotExist: 4001,
  invalidVersionFormat: 4006,
  unsupportedProtocol: 4007,
  noProtocolVersion: 4008,
  unauthorized: 4009,
  reconnectNow: 4200,
  pongNotReceived: 4201,
  otherError: 4300,
  clientEventRejected: 4301,
} as const;

/** The `status` of a `pusher:subscription_error`, with the `type` that goes with it. */
export const SubscriptionRefusal = {
  // A refused authorization answers like an authorization endpoint would.
  unauthorized: { type: 'AuthError', status: 401 },
  invalidChannelName: { type: 'InvalidChannel', status: 4009 },
  channelNameTooLong: { type: 'LimitReached', status: 4009 },
  presenceChannelFull: { type: 'LimitReached', status: 4100 },
  userInfoTooLarge: { type: 'LimitReached', status: 4301 },
} as const;

export type SubscriptionRefusalKind = keyof typeof SubscriptionRefusal;

export type ChannelKind = 'public' | 'private' | 'presence' | 'user';

const CHANNEL_NAME_PATTERN = /^[A-Za-z0-9_\-=@,.;]+$/;
const USER_ID_PATTERN = /^\S+$/;

/** The kind of a channel, or null when the name is not one the protocol allows. */
export function getChannelKind(name: string): ChannelKind | null {
  if (name.length === 0 || name.length > MAX_CHANNEL_NAME_LENGTH) return null;
  if (name.startsWith(USER_CHANNEL_PREFIX)) {
    return isValidUserId(name.slice(USER_CHANNEL_PREFIX.length)) ? 'user' : null;
  }
  if (!CHANNEL_NAME_PATTERN.test(name)) return null;
  if (name.startsWith('presence-')) return 'presence';
  // private-encrypted- channels authorize like private ones; the server never sees their plaintext.
  if (name.startsWith('private-')) return 'private';
  return 'public';
}

/**
 * Why the handshake's `protocol` parameter is refused (Pusher's code and message), or null
 * when it names the version this server speaks.
 */
export function checkProtocolVersion(
  value: string | null,
): { code: number; message: string } | null {
  if (value === null) {
    return { code: CloseCode.noProtocolVersion, message: 'No protocol version supplied' };
  }
  if (!/^\d{1,3}$/.test(value)) {
    return { code: CloseCode.invalidVersionFormat, message: 'Invalid version string format' };
  }
  if (Number(value) !== Number(PROTOCOL_VERSION)) {
    return {
      code: CloseCode.unsupportedProtocol,
      message: `Unsupported protocol version ${value}; this server speaks ${PROTOCOL_VERSION}`,
    };
  }
  return null;
}

export function isValidUserId(userId: string): boolean {
  return userId.length > 0 && userId.length <= MAX_USER_ID_LENGTH && USER_ID_PATTERN.test(userId);
}

/** Events the HTTP API may publish: internal names would let a caller forge protocol messages. */
export function isPublishableEventName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= MAX_EVENT_NAME_LENGTH &&
    !name.startsWith('pusher:') &&
    !name.startsWith('pusher_internal:')
  );
}

export type ClientMessage =
  | { type: 'ping' }
  | { type: 'pong' }
  | { type: 'subscribe'; channel: string; auth: string; channelData: string | undefined }
  | { type: 'unsubscribe'; channel: string }
  | { type: 'signin'; auth: string; userData: string }
  | { type: 'client-event'; event: string; channel: string | undefined }
  | { type: 'unsupported'; event: string };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Parses one frame from a client; null when it is not a protocol message at all. */
export function parseClientMessage(text: string): ClientMessage | null {
  const message = parseJson(text);
  if (!isRecord(message) || typeof message.event !== 'string') return null;
  // pusher-js sends `data` as an object; the protocol also allows a JSON-encoded string.
  const rawData = typeof message.data === 'string' ? parseJson(message.data) : message.data;
  const data = isRecord(rawData) ? rawData : {};
  switch (message.event) {
    case 'pusher:ping':
      return { type: 'ping' };
    case 'pusher:pong':
      return { type: 'pong' };
    case 'pusher:subscribe': {
      const channel = optionalString(data.channel);
      if (channel === undefined) return null;
      return {
        type: 'subscribe',
        channel,
        auth: optionalString(data.auth) ?? '',
        channelData: optionalString(data.channel_data),
      };
    }
    case 'pusher:unsubscribe': {
      const channel = optionalString(data.channel);
      return channel === undefined ? null : { type: 'unsubscribe', channel };
    }
    case 'pusher:signin':
      return {
        type: 'signin',
        auth: optionalString(data.auth) ?? '',
        userData: optionalString(data.user_data) ?? '',
      };
    default:
      return message.event.startsWith('client-')
        ? { type: 'client-event', event: message.event, channel: optionalString(message.channel) }
        : { type: 'unsupported', event: message.event };
  }
}

export interface PresenceMember {
  userId: string;
  userInfo: unknown;
}

/**
 * Reads presence `channel_data`; null when it lacks a usable `user_id`. The size of
 * `user_info` is the caller's to check, as Pusher refuses it with a code of its own.
 */
export function parsePresenceChannelData(channelData: string): PresenceMember | null {
  const data = parseJson(channelData);
  if (!isRecord(data)) return null;
  const rawId = data.user_id;
  const userId = typeof rawId === 'number' && Number.isFinite(rawId) ? String(rawId) : rawId;
  if (typeof userId !== 'string' || !isValidUserId(userId)) return null;
  return { userId, userInfo: data.user_info ?? null };
}

/** Reads signin `user_data`; the `id` it names is who the socket is signed in as. */
export function parseSigninUserId(userData: string): string | null {
  const data = parseJson(userData);
  if (!isRecord(data) || typeof data.id !== 'string' || !isValidUserId(data.id)) return null;
  return data.id;
}

// Protocol messages carry `data` as a JSON-encoded string, except pusher:error whose
// data is an object; pusher-js decodes both.
function encode(event: string, data: unknown, channel?: string): string {
  return JSON.stringify(channel === undefined ? { event, data } : { event, channel, data });
}

export const PING_MESSAGE = encode('pusher:ping', '{}');
export const PONG_MESSAGE = encode('pusher:pong', '{}');

export function encodeConnectionEstablished(socketId: string, activityTimeout: number): string {
  return encode(
    'pusher:connection_established',
    JSON.stringify({ socket_id: socketId, activity_timeout: activityTimeout }),
  );
}

/** A `pusher:error`; with a channel, pusher-js also emits it on that channel's object. */
export function encodeError(code: number, message: string, channel?: string): string {
  return encode('pusher:error', { code, message }, channel);
}

export function encodeSubscriptionSucceeded(
  channel: string,
  presence?: { ids: string[]; hash: Record<string, unknown>; count: number },
): string {
  return encode(
    'pusher_internal:subscription_succeeded',
    JSON.stringify(presence === undefined ? {} : { presence }),
    channel,
  );
}

export function encodeSubscriptionError(
  channel: string,
  refusal: SubscriptionRefusalKind,
  error: string,
): string {
  const { type, status } = SubscriptionRefusal[refusal];
  return encode('pusher:subscription_error', { type, error, status }, channel);
}

export function encodeMemberAdded(channel: string, member: PresenceMember): string {
  return encode(
    'pusher_internal:member_added',
    JSON.stringify({ user_id: member.userId, user_info: member.userInfo }),
    channel,
  );
}

export function encodeMemberRemoved(channel: string, userId: string): string {
  return encode('pusher_internal:member_removed', JSON.stringify({ user_id: userId }), channel);
}

export function encodeSigninSuccess(userData: string): string {
  return encode('pusher:signin_success', JSON.stringify({ user_data: userData }));
}

export function encodeChannelEvent(channel: string, event: string, data: string): string {
  return encode(event, data, channel);
}
