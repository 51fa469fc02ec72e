import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { listenOn } from '../../scripts/listen';

function get(host: string, port: number) {
  return new Promise<string>((resolve, reject) => {
    request({ host, port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
}

async function freePort() {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function startApp() {
  const server = createServer((req, res) => res.end(`from ${req.socket.remoteAddress}`));
  servers.push(server);
  return server;
}

// Containers without IPv6 have no ::1 to try this on (listenOn then serves 127.0.0.1 alone and says so).
const hasIpv6Loopback = Object.values(networkInterfaces()).some((addresses) =>
  addresses?.some((a) => a.address === '::1'),
);

describe.skipIf(!hasIpv6Loopback)('listenOn', () => {
  it('answers on both loopback addresses with one server, and stops answering on both when it closes', async () => {
    const port = await freePort();
    const server = startApp();
    await listenOn(server, port, ['127.0.0.1', '::1']);
    expect(await get('127.0.0.1', port)).toBe('from 127.0.0.1');
    expect(await get('::1', port)).toBe('from ::1');

    servers.pop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await expect(get('127.0.0.1', port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(get('::1', port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('does not answer on an address it was not given', async () => {
    const port = await freePort();
    await listenOn(startApp(), port, ['::1']);
    expect(await get('::1', port)).toBe('from ::1');
    await expect(get('127.0.0.1', port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('fails when an address is taken, rather than serving on some of them', async () => {
    const port = await freePort();
    const other = startApp();
    await new Promise<void>((resolve) => other.listen(port, '::1', resolve));
    await expect(listenOn(startApp(), port, ['127.0.0.1', '::1'])).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });
});
