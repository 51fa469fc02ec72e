import type { Server } from 'node:http';
import { createServer, type Server as NetServer } from 'node:net';

/**
 * Listens on each of `hosts` (every interface when null). Node's HTTP server listens on one address, so
 * each further address gets a plain TCP listener that hands its connections to the same HTTP server:
 * `closeAllConnections()` and `close()` on it then cover every address.
 */
export async function listenOn(server: Server, port: number, hosts: string[] | null) {
  if (!hosts) return listen(server, port);
  const [first, ...others] = hosts;
  await listen(server, port, first);
  const extras: NetServer[] = [];
  server.once('close', () => {
    for (const extra of extras) extra.close();
  });
  for (const host of others) {
    const extra = createServer((socket) => server.emit('connection', socket));
    try {
      await listen(extra, port, host);
      extras.push(extra);
    } catch (error) {
      if (!isMissingIpv6Loopback(host, error)) throw error;
      // Browsers then fall back from ::1 to 127.0.0.1 by themselves.
      console.warn(`Not listening on ${host}: this machine has no IPv6 loopback.`);
    }
  }
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
