import type { Server } from 'node:http';
import { createServer, type Server as NetServer } from 'node:net';
import { logger } from '../lib/log';

/**
 * Listens on each of `hosts` (every interface when null). Node's HTTP server listens on one address, so
 * each further address gets a plain TCP listener that hands its connections to the same HTTP server:
 * `closeAllConnections()` and `close()` on it then cover every address, and the further listeners close
 * once it has closed. The function returned closes them at once: a graceful shutdown stops accepting on every
 * address before its requests in flight have finished.
 */
export async function listenOn(
  server: Server,
  port: number,
  hosts: string[] | null,
): Promise<() => void> {
  const extras: NetServer[] = [];
  const closeExtras = () => {
    for (const extra of extras.splice(0)) extra.close();
  };
  if (!hosts) {
    await listen(server, port);
    return closeExtras;
  }
  const [first, ...others] = hosts;
  await listen(server, port, first);
  server.once('close', closeExtras);
  for (const host of others) {
    const extra = createServer((socket) => server.emit('connection', socket));
    try {
      await listen(extra, port, host);
      extras.push(extra);
    } catch (error) {
      if (!isMissingIpv6Loopback(host, error)) throw error;
      // Browsers then fall back from ::1 to 127.0.0.1 by themselves.
      logger().warn({ host }, 'not listening on this address: this machine has no IPv6 loopback');
    }
  }
  return closeExtras;
}

function listen(server: Server | NetServer, port: number, host?: string) {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function isMissingIpv6Loopback(host: string, error: unknown) {
  const code = (error as NodeJS.ErrnoException).code;
  return host === '::1' && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT');
}
