import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { ChannelRegistry } from './channels';
import { ClientConnection, type ConnectionContext } from './client-connection';
import { ConnectionRegistry } from './connections';
import { createApiHandler } from './http-api';
import { type Log, logSafely, silentLog } from './log';
import {
  CloseCode,
  checkProtocolVersion,
  encodeConnectionEstablished,
  encodeError,
  MAX_EVENT_DATA_BYTES,
} from './protocol';

export interface LocalPusherServerConfig {
  appId: string;
  key: string;
  secret: string;
  /** Defaults to 127.0.0.1: a development server has no business on other interfaces. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Sent to clients, which ping after this much silence; the server pings silent clients too. */
  activityTimeoutSeconds?: number;
  /** How long a server ping may go unanswered before the socket is closed. */
  pongTimeoutMs?: number;
  /**
   * Members a presence channel holds: at most hosted Pusher's 100, so that development refuses
   * what production would; lower it to try what happens when a channel is full.
   */
  maxPresenceMembers?: number;
  /** Unsent bytes a socket may hold before it is dropped as a slow reader (default 1 MiB). */
  maxBufferedBytes?: number;
  logger?: Log;
}

export interface LocalPusherServer {
  port: number;
  close(): Promise<void>;
}

const DEFAULT_ACTIVITY_TIMEOUT_SECONDS = 120;
const PUSHER_PRESENCE_LIMIT = 100;
const DEFAULT_PONG_TIMEOUT_MS = 30_000;
// A hundred full-size events: far more than a reading client ever has waiting.
const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
// Room for a 10 KB client frame plus its envelope; pusher-js never sends more.
const MAX_CLIENT_FRAME_BYTES = 4 * MAX_EVENT_DATA_BYTES;
const CLOSE_GRACE_MS = 1_000;

function assertConfig(config: LocalPusherServerConfig): void {
  for (const field of ['appId', 'key', 'secret'] as const) {
    if (typeof config[field] !== 'string' || config[field].length === 0) {
      throw new Error(`Local Pusher server: ${field} is required`);
    }
  }
  for (const field of ['activityTimeoutSeconds', 'pongTimeoutMs', 'maxBufferedBytes'] as const) {
    const value = config[field];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new Error(`Local Pusher server: ${field} must be a positive number`);
    }
  }
  const members = config.maxPresenceMembers;
  if (
    members !== undefined &&
    !(Number.isInteger(members) && members > 0 && members <= PUSHER_PRESENCE_LIMIT)
  ) {
    throw new Error(
      `Local Pusher server: maxPresenceMembers must be an integer from 1 to ${PUSHER_PRESENCE_LIMIT}, as hosted Pusher allows no more`,
    );
  }
}

function rawDataToText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString();
  return Buffer.isBuffer(data) ? data.toString() : Buffer.from(data).toString();
}

function rejectUpgrade(socket: Duplex, status: string): void {
  socket.on('error', () => {});
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Starts a server speaking Pusher Channels protocol 7 and HTTP API on one port. */
export async function startLocalPusherServer(
  config: LocalPusherServerConfig,
): Promise<LocalPusherServer> {
  assertConfig(config);
  const log = config.logger ?? silentLog;
  const activityTimeoutSeconds = config.activityTimeoutSeconds ?? DEFAULT_ACTIVITY_TIMEOUT_SECONDS;
  const activityMs = activityTimeoutSeconds * 1000;
  const pongMs = config.pongTimeoutMs ?? DEFAULT_PONG_TIMEOUT_MS;
  const context: ConnectionContext = {
    credentials: { appId: config.appId, key: config.key, secret: config.secret },
    channels: new ChannelRegistry(),
    maxPresenceMembers: config.maxPresenceMembers ?? PUSHER_PRESENCE_LIMIT,
    maxBufferedBytes: config.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
    connections: new ConnectionRegistry(),
    log,
  };

  let closing: Promise<void> | undefined;
  const httpServer = createServer(createApiHandler(context));
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_CLIENT_FRAME_BYTES,
  });

  function accept(ws: WebSocket, url: URL): void {
    // An 'error' without a listener would throw and take the whole server down.
    ws.on('error', (error) => {
      logSafely(log, { level: 'warn', message: `socket error: ${error.message}` });
    });
    if (closing !== undefined) {
      ws.terminate();
      return;
    }
    const key = url.pathname.slice('/app/'.length);
    // Handshake failures are both a pusher:error and a close code, as pusher-js reads either.
    if (key !== config.key && key !== encodeURIComponent(config.key)) {
      ws.send(encodeError(CloseCode.appDoesNotExist, 'Unknown app key'));
      ws.close(CloseCode.appDoesNotExist, 'Unknown app key');
      return;
    }
    const versionError = checkProtocolVersion(url.searchParams.get('protocol'));
    if (versionError !== null) {
      ws.send(encodeError(versionError.code, versionError.message));
      ws.close(versionError.code, versionError.message);
      return;
    }
    const connection = new ClientConnection(context.connections.allocateSocketId(), ws, context);
    context.connections.add(connection);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      connection.handleFrame(rawDataToText(data));
    });
    ws.on('close', () => {
      connection.dispose();
      logSafely(log, {
        level: 'debug',
        message: 'connection closed',
        socketId: connection.socketId,
      });
    });
    connection.sendText(encodeConnectionEstablished(connection.socketId, activityTimeoutSeconds));
    logSafely(log, {
      level: 'debug',
      message: 'connection established',
      socketId: connection.socketId,
    });
  }

  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (closing !== undefined) {
      rejectUpgrade(socket, '503 Service Unavailable');
      return;
    }
    const url = URL.canParse(req.url ?? '', 'http://localhost')
      ? new URL(req.url ?? '', 'http://localhost')
      : undefined;
    if (url === undefined || !url.pathname.startsWith('/app/')) {
      rejectUpgrade(socket, '404 Not Found');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, url));
  });

  // One sweep for all sockets is cheaper than a timer per socket reset on every frame.
  const sweepMs = Math.min(1_000, Math.max(10, Math.min(activityMs, pongMs) / 4));
  const sweep = setInterval(
    () => context.connections.checkLiveness(Date.now(), activityMs, pongMs),
    sweepMs,
  );
  sweep.unref();

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host ?? '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;

  async function close(): Promise<void> {
    clearInterval(sweep);
    const stopped = new Promise<void>((resolve, reject) => {
      httpServer.close((error) => (error ? reject(error) : resolve()));
    });
    httpServer.closeIdleConnections();
    const sockets = [...wss.clients];
    const socketsClosed = Promise.all(
      sockets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) resolve();
            else ws.once('close', () => resolve());
          }),
      ),
    );
    // 4200 tells pusher-js to reconnect at once (to this server restarted, or another one),
    // where a plain 1001 would leave it waiting a second first.
    const shutdown = encodeError(CloseCode.reconnectNow, 'Server shutting down');
    for (const ws of sockets) {
      if (ws.readyState === ws.OPEN) ws.send(shutdown);
      ws.close(CloseCode.reconnectNow, 'Server shutting down');
    }
    // A client that never answers the close frame must not hold the port.
    const grace = setTimeout(() => {
      for (const ws of sockets) ws.terminate();
    }, CLOSE_GRACE_MS);
    await socketsClosed;
    clearTimeout(grace);
    httpServer.closeAllConnections();
    await stopped;
  }

  return {
    port,
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}
