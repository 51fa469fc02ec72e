import { WebSocket } from 'ws';
import type { ChannelRegistry, Subscriber } from './channels';
import type { ConnectionRegistry } from './connections';
import type { Log } from './log';
import {
  CloseCode,
  encodeError,
  encodeSigninSuccess,
  encodeSubscriptionError,
  encodeSubscriptionSucceeded,
  getChannelKind,
  PONG_MESSAGE,
  type PresenceMember,
  parseClientMessage,
  parsePresenceChannelData,
  parseSigninUserId,
  USER_CHANNEL_PREFIX,
} from './protocol';
import { type AppCredentials, verifyChannelAuth, verifyUserAuth } from './signatures';

type SubscriptionDecision =
  | { ok: true; member?: PresenceMember }
  | { ok: false; status: number; error: string };

export interface ConnectionContext {
  credentials: AppCredentials;
  channels: ChannelRegistry;
  connections: ConnectionRegistry;
  maxPresenceMembers: number;
  log: Log;
}

/** One pusher-js socket after the handshake: its subscriptions, sign-in and liveness. */
export class ClientConnection implements Subscriber {
  lastSeenAt = Date.now();
  /** Set while a server ping awaits its pong. */
  pingSentAt: number | undefined;
  private signedInUserId: string | undefined;
  private readonly subscriptions = new Set<string>();

  constructor(
    readonly socketId: string,
    private readonly ws: WebSocket,
    private readonly context: ConnectionContext,
  ) {}

  get userId(): string | undefined {
    return this.signedInUserId;
  }

  send(frame: Buffer): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame, { binary: false });
  }

  sendText(text: string): void {
    this.send(Buffer.from(text));
  }

  /**
   * Leaves every channel at once: a socket the server closes (revoked, dead) must drop out
   * of presence and broadcasts now, not when its close handshake ends.
   */
  close(code: number, reason: string): void {
    this.ws.close(code, reason);
    this.dispose();
  }

  handleFrame(text: string): void {
    // Any frame proves the client is alive, not only a pong.
    this.lastSeenAt = Date.now();
    this.pingSentAt = undefined;
    const message = parseClientMessage(text);
    if (message === null) {
      this.sendText(encodeError(null, 'Malformed message'));
      return;
    }
    switch (message.type) {
      case 'ping':
        this.sendText(PONG_MESSAGE);
        return;
      case 'pong':
        return;
      case 'subscribe':
        this.subscribe(message.channel, message.auth, message.channelData);
        return;
      case 'unsubscribe':
        this.unsubscribe(message.channel);
        return;
      case 'signin':
        this.signin(message.auth, message.userData);
        return;
      case 'client-event':
        // Every change goes through the server (authorization, audit, outbox), so clients
        // may never talk to each other directly.
        this.sendText(encodeError(null, 'Client events are not enabled on this server'));
        this.context.log({
          level: 'info',
          message: 'client event refused',
          socketId: this.socketId,
        });
        return;
      case 'unsupported':
        this.sendText(encodeError(null, `Unsupported event: ${message.event}`));
        return;
    }
  }

  /** Safe to call more than once: on close, and again when the socket reports it has closed. */
  dispose(): void {
    for (const channel of this.subscriptions)
      this.context.channels.unsubscribe(channel, this.socketId);
    this.subscriptions.clear();
    this.context.connections.remove(this);
  }

  private subscribe(channel: string, auth: string, channelData: string | undefined): void {
    const decision = this.authorizeSubscription(channel, auth, channelData);
    if (!decision.ok) {
      this.sendText(encodeSubscriptionError(channel, decision.status, decision.error));
      this.context.log({
        level: 'info',
        message: `subscription to ${channel} refused: ${decision.error}`,
        socketId: this.socketId,
      });
      return;
    }
    const { member } = decision;
    this.context.channels.subscribe(channel, this, member);
    this.subscriptions.add(channel);
    const presence =
      member === undefined ? undefined : this.context.channels.presenceSnapshot(channel);
    this.sendText(encodeSubscriptionSucceeded(channel, presence));
  }

  private authorizeSubscription(
    channel: string,
    auth: string,
    channelData: string | undefined,
  ): SubscriptionDecision {
    const { credentials } = this.context;
    switch (getChannelKind(channel)) {
      case null:
        return { ok: false, status: 400, error: 'Invalid channel name' };
      case 'public':
        return { ok: true };
      case 'user':
        return channel.slice(USER_CHANNEL_PREFIX.length) === this.signedInUserId
          ? { ok: true }
          : { ok: false, status: 403, error: 'Not signed in as this user' };
      case 'private':
        return verifyChannelAuth(credentials, { socketId: this.socketId, channel, auth })
          ? { ok: true }
          : { ok: false, status: 401, error: 'Invalid signature' };
      case 'presence': {
        if (channelData === undefined) {
          return { ok: false, status: 400, error: 'Missing channel_data' };
        }
        if (
          !verifyChannelAuth(credentials, { socketId: this.socketId, channel, auth, channelData })
        ) {
          return { ok: false, status: 401, error: 'Invalid signature' };
        }
        const member = parsePresenceChannelData(channelData);
        if (member === null) return { ok: false, status: 400, error: 'Invalid channel_data' };
        if (
          !this.context.channels.hasRoomFor(channel, member.userId, this.context.maxPresenceMembers)
        ) {
          return { ok: false, status: 403, error: 'Presence channel is full' };
        }
        return { ok: true, member };
      }
    }
  }

  private unsubscribe(channel: string): void {
    if (!this.subscriptions.delete(channel)) return;
    this.context.channels.unsubscribe(channel, this.socketId);
  }

  private signin(auth: string, userData: string): void {
    const userId = verifyUserAuth(this.context.credentials, {
      socketId: this.socketId,
      userData,
      auth,
    })
      ? parseSigninUserId(userData)
      : null;
    if (userId === null) {
      this.context.log({ level: 'info', message: 'signin refused', socketId: this.socketId });
      this.sendText(encodeError(CloseCode.unauthorized, 'Invalid signin'));
      this.close(CloseCode.unauthorized, 'Invalid signin');
      return;
    }
    const previous = this.signedInUserId;
    if (previous !== undefined && previous !== userId) {
      this.unsubscribe(`${USER_CHANNEL_PREFIX}${previous}`);
    }
    this.signedInUserId = userId;
    this.context.connections.setUser(this, userId, previous);
    this.sendText(encodeSigninSuccess(userData));
  }
}
