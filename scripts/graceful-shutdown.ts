import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Tracks a server's requests and connections so that it can stop without cutting a request short: stop
 * accepting, let the requests in flight finish (for at most `graceMs`), answer them with `Connection: close`
 * so keep-alive clients do not send another on the same socket, then close every connection that is left
 * (idle keep-alive sockets, upgraded ones such as the development server's hot reload, and any request that
 * outlived the grace period).
 */
export function trackConnections(server: Server) {
  const sockets = new Set<Socket>();
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  let onIdle: (() => void) | undefined;

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Before the app's own handler, so even an answer it gives synchronously is counted until it is sent.
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    if (draining) res.setHeader('Connection', 'close');
    res.once('close', () => {
      inFlight.delete(res);
      if (inFlight.size === 0) onIdle?.();
    });
  });

  return {
    /** Whether a request is being answered now. */
    busy: () => inFlight.size > 0,
    /**
     * Resolves once the server is closed, with how many requests were cut short. `closeOtherListeners`
     * closes the further addresses that hand their connections to this server (see listenOn).
     */
    async drain({
      graceMs,
      closeOtherListeners,
    }: {
      graceMs: number;
      closeOtherListeners: () => void;
    }) {
      draining = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      closeOtherListeners();
      server.closeIdleConnections();
      if (inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          onIdle = resolve;
          timer = setTimeout(resolve, graceMs);
        });
        clearTimeout(timer);
      }
      const cutShort = inFlight.size;
      for (const socket of sockets) socket.destroy();
      await closed;
      return { cutShort };
    },
  };
}
