import { Agent, createServer, request, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { trackConnections } from '../../scripts/graceful-shutdown';

/** A server whose `/slow` answers only once the test says so; `/fast` answers at once. */
async function startServer() {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let slowArrived: () => void = () => {};
  const arrived = new Promise<void>((resolve) => {
    slowArrived = resolve;
  });
  const server = createServer((req, res) => {
    if (req.url === '/slow') {
      slowArrived();
      void released.then(() => res.end('done'));
    } else res.end('fast');
  });
  const tracker = trackConnections(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, tracker, port: (server.address() as AddressInfo).port, release, arrived };
}

function get(port: number, path: string, agent?: Agent) {
  return new Promise<{ status: number; body: string; connection: string | undefined }>(
    (resolve, reject) => {
      request({ host: '127.0.0.1', port, path, agent }, (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }),
        );
      })
        .on('error', reject)
        .end();
    },
  );
}

function tryConnect(port: number) {
  return new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.closeAllConnections();
});

describe('a graceful shutdown', () => {
  it('refuses new connections, closes idle keep-alive ones, and lets the request in flight finish', async () => {
    const { server, tracker, port, release, arrived } = await startServer();
    servers.push(server);
    const agent = new Agent({ keepAlive: true });
    expect((await get(port, '/fast', agent)).body).toBe('fast');
    const idleSocket = Object.values(agent.freeSockets).flat()[0] as Socket;
    const idleClosed = new Promise<void>((resolve) => idleSocket.once('close', () => resolve()));

    const slow = get(port, '/slow');
    await arrived;
    const closeOtherListeners = vi.fn();
    const drained = tracker.drain({ graceMs: 10_000, closeOtherListeners });

    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    await idleClosed;
    expect(closeOtherListeners).toHaveBeenCalledOnce();
    let drainedYet = false;
    void drained.then(() => {
      drainedYet = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(drainedYet).toBe(false);

    release();
    expect(await slow).toEqual({ status: 200, body: 'done', connection: 'close' });
    expect(await drained).toEqual({ cutShort: 0 });
    agent.destroy();
  });

  it('closes a request that outlives the grace period, and says so', async () => {
    const { server, tracker, port, arrived } = await startServer();
    servers.push(server);
    const slow = get(port, '/slow');
    await arrived;
    const started = Date.now();
    const result = await tracker.drain({ graceMs: 300, closeOtherListeners: () => {} });
    expect(result).toEqual({ cutShort: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await expect(slow).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('finishes at once when nothing is in flight', async () => {
    const { server, tracker, port } = await startServer();
    servers.push(server);
    expect((await get(port, '/fast')).body).toBe('fast');
    const started = Date.now();
    expect(await tracker.drain({ graceMs: 10_000, closeOtherListeners: () => {} })).toEqual({
      cutShort: 0,
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
