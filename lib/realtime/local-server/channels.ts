import {
  type ChannelKind,
  encodeChannelEvent,
  encodeMemberAdded,
  encodeMemberRemoved,
  getChannelKind,
  type PresenceMember,
} from './protocol';

export interface Subscriber {
  readonly socketId: string;
  /** Sends an already-encoded text frame; a shared buffer lets one broadcast serialize once. */
  send(frame: Buffer): void;
}

interface Member {
  userInfo: unknown;
  socketIds: Set<string>;
}

interface Channel {
  kind: ChannelKind;
  subscribers: Map<string, Subscriber>;
  // Presence only: one member per user id, however many connections that user has.
  members: Map<string, Member>;
  memberBySocket: Map<string, string>;
}

export interface PresenceSnapshot {
  ids: string[];
  hash: Record<string, unknown>;
  count: number;
}

export interface ChannelInfo {
  subscriptionCount: number;
  /** Presence channels only. */
  userCount?: number;
}

function toFrame(text: string): Buffer {
  return Buffer.from(text);
}

export class ChannelRegistry {
  private readonly channels = new Map<string, Channel>();

  /**
   * Adds a subscriber (again, harmlessly, if already there). On presence channels the
   * other subscribers hear `member_added` only when this is the user's first connection.
   */
  subscribe(name: string, subscriber: Subscriber, member?: PresenceMember): void {
    const kind = getChannelKind(name);
    if (kind === null) throw new Error(`Invalid channel name: ${name}`);
    let channel = this.channels.get(name);
    if (channel === undefined) {
      channel = { kind, subscribers: new Map(), members: new Map(), memberBySocket: new Map() };
      this.channels.set(name, channel);
    }
    channel.subscribers.set(subscriber.socketId, subscriber);
    if (member === undefined || channel.kind !== 'presence') return;

    const previousUserId = channel.memberBySocket.get(subscriber.socketId);
    if (previousUserId === member.userId) return;
    if (previousUserId !== undefined) this.leavePresence(name, channel, subscriber.socketId);

    channel.memberBySocket.set(subscriber.socketId, member.userId);
    const existing = channel.members.get(member.userId);
    if (existing !== undefined) {
      existing.socketIds.add(subscriber.socketId);
      return;
    }
    channel.members.set(member.userId, {
      userInfo: member.userInfo,
      socketIds: new Set([subscriber.socketId]),
    });
    this.sendToAll(channel, toFrame(encodeMemberAdded(name, member)), subscriber.socketId);
  }

  /** Removes a subscriber; a presence member leaves with the last connection of its user. */
  unsubscribe(name: string, socketId: string): void {
    const channel = this.channels.get(name);
    if (channel === undefined || !channel.subscribers.delete(socketId)) return;
    this.leavePresence(name, channel, socketId);
    if (channel.subscribers.size === 0) this.channels.delete(name);
  }

  /** Whether `userId` may join: already a member (another tab), or the channel is below `max` members. */
  hasRoomFor(name: string, userId: string, max: number): boolean {
    const members = this.channels.get(name)?.members;
    return !members || members.has(userId) || members.size < max;
  }

  presenceSnapshot(name: string): PresenceSnapshot {
    const hash: Record<string, unknown> = {};
    for (const [userId, member] of this.channels.get(name)?.members ?? []) {
      hash[userId] = member.userInfo;
    }
    const ids = Object.keys(hash);
    return { ids, hash, count: ids.length };
  }

  /** Encodes the event once and writes the same buffer to every subscriber. */
  publish(name: string, event: string, data: string, exceptSocketId?: string): number {
    const channel = this.channels.get(name);
    if (channel === undefined) return 0;
    return this.sendToAll(channel, toFrame(encodeChannelEvent(name, event, data)), exceptSocketId);
  }

  getInfo(name: string): ChannelInfo | undefined {
    const channel = this.channels.get(name);
    if (channel === undefined) return undefined;
    return channel.kind === 'presence'
      ? { subscriptionCount: channel.subscribers.size, userCount: channel.members.size }
      : { subscriptionCount: channel.subscribers.size };
  }

  /** Occupied channels whose name starts with the prefix. */
  list(prefix = ''): Array<{ name: string; info: ChannelInfo }> {
    const result: Array<{ name: string; info: ChannelInfo }> = [];
    for (const name of this.channels.keys()) {
      const info = name.startsWith(prefix) ? this.getInfo(name) : undefined;
      if (info !== undefined) result.push({ name, info });
    }
    return result;
  }

  listUserIds(name: string): string[] {
    return [...(this.channels.get(name)?.members.keys() ?? [])];
  }

  private leavePresence(name: string, channel: Channel, socketId: string): void {
    const userId = channel.memberBySocket.get(socketId);
    if (userId === undefined) return;
    channel.memberBySocket.delete(socketId);
    const member = channel.members.get(userId);
    if (member === undefined) return;
    member.socketIds.delete(socketId);
    if (member.socketIds.size > 0) return;
    channel.members.delete(userId);
    this.sendToAll(channel, toFrame(encodeMemberRemoved(name, userId)), socketId);
  }

  private sendToAll(channel: Channel, frame: Buffer, exceptSocketId?: string): number {
    let sent = 0;
    for (const [socketId, subscriber] of channel.subscribers) {
      if (socketId === exceptSocketId) continue;
      subscriber.send(frame);
      sent += 1;
    }
    return sent;
  }
}
