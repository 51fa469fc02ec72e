// A bare `ws` client for what pusher-js hides: the exact frames and close code the server
// sends, handshakes pusher-js would never make, and a reader that stops reading.
import { WebSocket } from 'ws';
import { APP, waitFor } from './harness';

export interface ProtocolMessage {
  event: string;
  channel?: string;
  data?: unknown;
}

export interface RawSocket {
  ws: WebSocket;
  /** Every frame received so far, `data` decoded when it is a JSON string. */
  messages: ProtocolMessage[];
  closed: Promise<{ code: number; reason: string }>;
  /** The first message (already received or still to come) with this event name. */
  next(event: string, channel?: string): Promise<ProtocolMessage>;
  send(event: string, data: unknown): void;
}

function decode(frame: string): ProtocolMessage {
  const message = JSON.parse(frame) as ProtocolMessage;
  if (typeof message.data === 'string') {
    try {
      message.data = JSON.parse(message.data);
    } catch {
      // Event data that is plain text stays as it is.
    }
  }
  return message;
}

/** Opens a socket on `path` (by default a valid protocol-7 handshake for the harness's app). */
export function openRawSocket(
  port: number,
  path = `/app/${APP.key}?protocol=7&client=js&version=8.6.0`,
): RawSocket {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  const messages: ProtocolMessage[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    messages.push(decode(data.toString()));
    for (const waiter of waiters) waiter();
  });
  ws.on('error', () => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  const find = (event: string, channel?: string) =>
    messages.find(
      (message) =>
        message.event === event && (channel === undefined || message.channel === channel),
    );
  return {
    ws,
    messages,
    closed,
    next: (event, channel) =>
      waitFor(`${event} on a raw socket`, (resolve) => {
        const check = () => {
          const message = find(event, channel);
          if (message === undefined) return;
          waiters.delete(check);
          resolve(message);
        };
        waiters.add(check);
        check();
      }),
    send: (event, data) => ws.send(JSON.stringify({ event, data })),
  };
}

/** A raw socket past `pusher:connection_established`, with its socket id. */
export async function connectRawSocket(port: number): Promise<RawSocket & { socketId: string }> {
  const socket = openRawSocket(port);
  const established = await socket.next('pusher:connection_established');
  return { ...socket, socketId: (established.data as { socket_id: string }).socket_id };
}
