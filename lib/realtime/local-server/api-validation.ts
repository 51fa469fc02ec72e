import type { ChannelInfo } from './channels';
import { getChannelKind, isPublishableEventName, isRecord, MAX_EVENT_DATA_BYTES } from './protocol';

export const MAX_CHANNELS_PER_EVENT = 100;
export const MAX_BATCH_SIZE = 10;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type InfoAttribute = 'user_count' | 'subscription_count';

export interface EventToPublish {
  name: string;
  data: string;
  channels: string[];
  excludeSocketId: string | undefined;
  info: Set<InfoAttribute>;
}

const SOCKET_ID_PATTERN = /^\d+\.\d+$/;

/** Reads a comma-separated `info` parameter; user_count only makes sense on presence channels. */
export function parseInfo(
  value: unknown,
  allowed: readonly InfoAttribute[],
  channels: readonly string[],
): Set<InfoAttribute> {
  if (value === undefined || value === null || value === '') return new Set();
  if (typeof value !== 'string') throw new ApiError(400, 'info must be a string');
  const attributes = new Set<InfoAttribute>();
  for (const attribute of value.split(',')) {
    const known = allowed.find((candidate) => candidate === attribute);
    if (known === undefined) throw new ApiError(400, `Unsupported info attribute: ${attribute}`);
    attributes.add(known);
  }
  if (attributes.has('user_count') && !channels.every((name) => name.startsWith('presence-'))) {
    throw new ApiError(400, 'user_count is only available for presence channels');
  }
  return attributes;
}

export function parseChannelName(value: unknown): string {
  if (typeof value !== 'string' || getChannelKind(value) === null) {
    throw new ApiError(400, `Invalid channel name: ${String(value)}`);
  }
  return value;
}

/** Validates one event of POST /events (`channels` or `channel`) or of a batch (`channel`). */
export function parseEvent(value: unknown): EventToPublish {
  if (!isRecord(value)) throw new ApiError(400, 'Expected a JSON object');
  const { name, data, channels, channel, socket_id: socketId, info } = value;
  if (typeof name !== 'string' || !isPublishableEventName(name)) {
    throw new ApiError(400, 'Invalid event name');
  }
  if (typeof data !== 'string') throw new ApiError(400, 'data must be a string');
  if (Buffer.byteLength(data) > MAX_EVENT_DATA_BYTES) {
    throw new ApiError(413, `data exceeds ${MAX_EVENT_DATA_BYTES} bytes`);
  }
  const names = Array.isArray(channels) ? channels : channel === undefined ? [] : [channel];
  if (names.length === 0) throw new ApiError(400, 'At least one channel is required');
  if (names.length > MAX_CHANNELS_PER_EVENT) {
    throw new ApiError(400, `At most ${MAX_CHANNELS_PER_EVENT} channels per event`);
  }
  const validChannels = names.map(parseChannelName);
  if (
    socketId !== undefined &&
    (typeof socketId !== 'string' || !SOCKET_ID_PATTERN.test(socketId))
  ) {
    throw new ApiError(400, 'Invalid socket_id');
  }
  return {
    name,
    data,
    channels: validChannels,
    excludeSocketId: socketId,
    info: parseInfo(info, ['user_count', 'subscription_count'], validChannels),
  };
}

export function parseBatch(value: unknown): EventToPublish[] {
  if (!isRecord(value) || !Array.isArray(value.batch)) {
    throw new ApiError(400, 'Expected { batch: [...] }');
  }
  if (value.batch.length > MAX_BATCH_SIZE) {
    throw new ApiError(400, `At most ${MAX_BATCH_SIZE} events per batch`);
  }
  return value.batch.map((event: unknown) => {
    if (isRecord(event) && event.channels !== undefined) {
      throw new ApiError(400, 'Batch events take a single channel');
    }
    return parseEvent(event);
  });
}

/** Shapes channel info the way Pusher's API names it, limited to what was asked for. */
export function describeChannel(
  info: ChannelInfo | undefined,
  attributes: ReadonlySet<InfoAttribute>,
): { user_count?: number; subscription_count?: number } {
  const result: { user_count?: number; subscription_count?: number } = {};
  if (attributes.has('user_count')) result.user_count = info?.userCount ?? 0;
  if (attributes.has('subscription_count')) {
    result.subscription_count = info?.subscriptionCount ?? 0;
  }
  return result;
}
