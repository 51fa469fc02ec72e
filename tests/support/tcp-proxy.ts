import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the test PostgreSQL that a test can cut and restore: `cut` drops every open
 * connection and refuses new ones (as a server that died), `restore` listens again on the same port.
 * `silence` keeps the open connections but passes nothing more from the server on them (as a server that
 * hangs, or a network that drops packets); new connections work as usual.
 */
export type TcpProxy = {
  port: number;
  /** A copy of `url` that goes through the proxy. */
  route(url: string): string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  silence(): void;
  close(): Promise<void>;
};

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const upstreams = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  };
  const open = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer((client) => {
        const upstream = createConnection(target);
        track(client);
        track(upstream);
        upstreams.add(upstream);
        upstream.on('close', () => upstreams.delete(upstream));
        client.pipe(upstream);
        upstream.pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  let server: Server | null = await open(0);
  const port = (server.address() as { port: number }).port;
  const stop = async () => {
    const closing = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  return {
    port,
    route(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut: stop,
    silence() {
      for (const upstream of upstreams) upstream.unpipe();
    },
    async restore() {
      server ??= await open(port);
    },
    close: stop,
  };
}
