import { WebSocket } from 'ws';
import type { Subscriber } from './channels';
import type { ConnectionRegistry } from './connections';
import { type Log, logSafely } from './log';
import {
  CloseCode,
  encodeError,
  encodeSigninSuccess,
  encodeSubscriptionError,
  encodeSubscriptionSucceeded,
  PONG_MESSAGE,
  parseClientMessage,
  parseSigninUserId,
  USER_CHANNEL_PREFIX,
} from './protocol';
import { verifyUserAuth } from './signatures';
import { decideSubscription, type SubscriptionPolicy } from './subscription-policy';

export interface ConnectionContext extends SubscriptionPolicy {
  connections: ConnectionRegistry;
  /** Bytes a socket may have waiting to be written before it is dropped as a slow reader. */
  maxBufferedBytes: number;
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
    if (this.ws.readyState !== WebSocket.OPEN) return;
    // A client that stops reading would otherwise make the server hold every event it is
    // sent. What is already queued cannot reach it before anything sent now, not even a
    // close frame, so the socket is dropped at once and its queue freed.
    const unsent = this.ws.bufferedAmount;
    if (unsent + frame.length > this.context.maxBufferedBytes) {
      this.ws.terminate();
      this.dispose();
      // Also reached from the liveness timer, where nothing would catch a throwing logger.
      logSafely(this.context.log, {
        level: 'warn',
        message: `dropped a slow reader with ${unsent} bytes unsent`,
        socketId: this.socketId,
      });
      return;
    }
    this.ws.send(frame, { binary: false });
  }

  sendText(text: string): void {
    this.send(Buffer.from(text));
  }

  /**
   * Leaves every channel at once: a socket the server closes (revoked, dead) must drop out
   * of presence and broadcasts now, not when its close handshake ends.
   */
  private close(code: number, reason: string): void {
    this.ws.close(code, reason);
    this.dispose();
  }

  /** A `pusher:error` then the close, both with the code: pusher-js acts on either. */
  closeWithError(code: number, reason: string): void {
    this.sendText(encodeError(code, reason));
    this.close(code, reason);
  }

  /**
   * Handles one frame. Whatever goes wrong while handling it ends this socket only (4200:
   * pusher-js reconnects at once), never the process and every other socket with it.
   */
  handleFrame(text: string): void {
    try {
      this.dispatch(text);
    } catch (error) {
      logSafely(this.context.log, {
        level: 'error',
        message: `closing a socket whose frame failed: ${String(error)}`,
        socketId: this.socketId,
      });
      try {
        this.closeWithError(CloseCode.reconnectNow, 'Internal server error');
      } catch {
        // Closing failed the same way: drop the socket without ceremony.
        this.ws.terminate();
      }
    }
  }

  private dispatch(text: string): void {
    // Any frame proves the client is alive, not only a pong.
    this.lastSeenAt = Date.now();
    this.pingSentAt = undefined;
    const message = parseClientMessage(text);
    if (message === null) {
      this.sendText(encodeError(CloseCode.otherError, 'Malformed message'));
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
        this.sendText(
          encodeError(
            CloseCode.clientEventRejected,
            'Client events are not enabled on this server',
            message.channel,
          ),
        );
        this.context.log({
          level: 'info',
          message: 'client event refused',
          socketId: this.socketId,
        });
        return;
      case 'unsupported':
        this.sendText(encodeError(CloseCode.otherError, `Unsupported event: ${message.event}`));
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
    const decision = decideSubscription(this.context, {
      socketId: this.socketId,
      signedInUserId: this.signedInUserId,
      channel,
      auth,
      channelData,
    });
    if (!decision.ok) {
      this.sendText(encodeSubscriptionError(channel, decision.refusal, decision.error));
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
      this.closeWithError(CloseCode.unauthorized, 'Invalid signin');
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
