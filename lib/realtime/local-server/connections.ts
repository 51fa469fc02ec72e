import { randomInt } from 'node:crypto';
import type { ClientConnection } from './client-connection';
import { CloseCode, PING_MESSAGE } from './protocol';

// Socket ids look like Pusher's ("<digits>.<digits>", which the `pusher` SDK checks) and
// are unguessable, since channel authorizations are bound to them.
const SOCKET_ID_PART_MAX = 2 ** 40;

/** Every open connection, by socket id and by signed-in user. */
export class ConnectionRegistry {
  private readonly bySocketId = new Map<string, ClientConnection>();
  private readonly byUserId = new Map<string, Set<ClientConnection>>();

  allocateSocketId(): string {
    for (;;) {
      const socketId = `${randomInt(1, SOCKET_ID_PART_MAX)}.${randomInt(1, SOCKET_ID_PART_MAX)}`;
      if (!this.bySocketId.has(socketId)) return socketId;
    }
  }

  add(connection: ClientConnection): void {
    this.bySocketId.set(connection.socketId, connection);
  }

  remove(connection: ClientConnection): void {
    this.bySocketId.delete(connection.socketId);
    if (connection.userId !== undefined) this.forgetUser(connection, connection.userId);
  }

  setUser(connection: ClientConnection, userId: string, previousUserId?: string): void {
    if (previousUserId !== undefined) this.forgetUser(connection, previousUserId);
    let connections = this.byUserId.get(userId);
    if (connections === undefined) {
      connections = new Set();
      this.byUserId.set(userId, connections);
    }
    connections.add(connection);
  }

  /** Closes every socket signed in as the user; pusher-js does not reconnect after 4009. */
  terminateUser(userId: string): number {
    const connections = [...(this.byUserId.get(userId) ?? [])];
    for (const connection of connections) {
      connection.closeWithError(CloseCode.unauthorized, 'Connection terminated');
    }
    return connections.length;
  }

  /**
   * Pings connections the server has not heard from for `activityMs` and closes those that
   * leave a ping unanswered for `pongMs`, so dead clients do not linger as subscribers.
   */
  checkLiveness(now: number, activityMs: number, pongMs: number): void {
    for (const connection of this.bySocketId.values()) {
      if (connection.pingSentAt !== undefined) {
        if (now - connection.pingSentAt >= pongMs) {
          connection.closeWithError(CloseCode.pongNotReceived, 'Pong reply not received');
        }
      } else if (now - connection.lastSeenAt >= activityMs) {
        connection.pingSentAt = now;
        connection.sendText(PING_MESSAGE);
      }
    }
  }

  all(): ClientConnection[] {
    return [...this.bySocketId.values()];
  }

  private forgetUser(connection: ClientConnection, userId: string): void {
    const connections = this.byUserId.get(userId);
    if (connections === undefined) return;
    connections.delete(connection);
    if (connections.size === 0) this.byUserId.delete(userId);
  }
}
