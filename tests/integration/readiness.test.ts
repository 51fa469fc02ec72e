import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeDatabase, configureDatabase, databaseConfig } from '@/db/client';
import type { QueueStat } from '@/lib/observability/queue-source';
import {
  checkDatabase,
  checkQueue,
  checkReadiness,
  checkRealtime,
  QUEUE_STALL_SECONDS,
} from '@/lib/observability/readiness';
import { urls } from '../support/db';
import { APP, pointAppAtRealtime, Realm } from './realtime/harness';

// The route reads the queue through this source: the tests set what it reports (the real one reads
// pg-boss's tables, where no worker drains this shared database's jobs; see queue-stats.test.ts).
const queue = vi.hoisted(() => ({ stats: [] as QueueStat[] }));
vi.mock('@/lib/observability/queue-source', () => ({
  queueStatsSource: async () => queue.stats,
}));

/** A server that takes connections and never says a word: what a hung dependency looks like. */
async function silentServer(kind: 'tcp' | 'http') {
  const sockets = new Set<Socket>();
  const server: Server | HttpServer =
    kind === 'tcp' ? createServer((socket) => sockets.add(socket)) : createHttpServer(() => {});
  server.on('connection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

const probe = (port: number) => Realm.sdkFor(port, APP.secret);

let realm: Realm;
beforeAll(async () => {
  realm = await Realm.start();
  pointAppAtRealtime(realm.server.port);
});
afterAll(() => realm.close());

describe('readiness checks', () => {
  it('the database: ok, unreachable, or timed out within the second, never hanging', async () => {
    const good = postgres(urls().app, { max: 1 });
    const refused = postgres('postgres://nobody:secret-password@127.0.0.1:1/none', { max: 1 });
    const silent = await silentServer('tcp');
    const hung = postgres(`postgres://nobody:secret-password@127.0.0.1:${silent.port}/none`, {
      max: 1,
      connect_timeout: 30,
    });
    try {
      // A running server's pool is connected already; a first connection (and its authentication) on a
      // machine this busy could take longer than the check allows.
      await good`select 1`;
      const started = Date.now();
      const { ready, body } = await checkReadiness({
        good: checkDatabase(good),
        refused: checkDatabase(refused),
        hung: checkDatabase(hung),
      });
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(ready).toBe(false);
      expect(body).toEqual({
        status: 'unavailable',
        checks: { good: 'ok', refused: 'unreachable', hung: 'timed out' },
      });
    } finally {
      silent.close();
      await Promise.all([good.end(), refused.end({ timeout: 0 }), hung.end({ timeout: 0 })]);
    }
  });

  it('the realtime server: ok, refusing our credentials, unreachable, or timed out', async () => {
    const stopped = await Realm.start();
    const stoppedPort = stopped.server.port;
    await stopped.close();
    const silent = await silentServer('http');
    try {
      const { body } = await checkReadiness({
        up: checkRealtime(realm.sdk),
        wrongSecret: checkRealtime(realm.sdkWithSecret('not-the-secret')),
        down: checkRealtime(probe(stoppedPort)),
        hung: checkRealtime(probe(silent.port)),
      });
      expect(body.checks).toEqual({
        up: 'ok',
        wrongSecret: 'answered 401',
        down: 'unreachable',
        hung: 'timed out',
      });
    } finally {
      silent.close();
    }
  });

  it('the queue: failing once a due job has waited past the threshold, naming the queue', async () => {
    const stats =
      (oldest: number, queued = 3) =>
      async () => [
        { queue: 'mail', queued: 0, active: 1, failed: 4, oldestQueuedSeconds: 0 },
        { queue: 'cleanup', queued, active: 0, failed: 0, oldestQueuedSeconds: oldest },
      ];
    const { body } = await checkReadiness({
      draining: checkQueue(stats(QUEUE_STALL_SECONDS - 1)),
      empty: checkQueue(stats(QUEUE_STALL_SECONDS + 100, 0)),
      stalled: checkQueue(stats(QUEUE_STALL_SECONDS + 30.4)),
      unreadable: checkQueue(() =>
        Promise.reject(new Error('relation "pgboss.job" does not exist')),
      ),
    });
    expect(body.checks).toEqual({
      draining: 'ok',
      empty: 'ok',
      stalled: `no worker is draining cleanup: its oldest job has waited ${QUEUE_STALL_SECONDS + 30} s`,
      unreadable: 'failed',
    });
  });
});

describe('GET /api/ready', () => {
  const queueOk = { queue: 'ok' };

  const ready = async () => (await import('@/app/api/ready/route')).GET();

  it('answers 200 with every part ok, uncached', async () => {
    const response = await ready();
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('Retry-After')).toBeNull();
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', realtime: 'ok', ...queueOk },
    });
  });

  it('answers 503 with Retry-After naming the realtime server while it is down, and recovers', async () => {
    const port = realm.server.port;
    await realm.close();
    try {
      const response = await ready();
      expect(response.status).toBe(503);
      expect(response.headers.get('Retry-After')).toBe('5');
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({
        status: 'unavailable',
        checks: { database: 'ok', realtime: 'unreachable', ...queueOk },
      });
      expect(text).not.toContain(String(port));
    } finally {
      realm = await Realm.start({ port });
    }
    expect(await (await ready()).json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', realtime: 'ok', ...queueOk },
    });
  });

  it('answers 503 naming the queue while no worker drains it', async () => {
    queue.stats = [
      {
        queue: 'mail',
        queued: 2,
        active: 0,
        failed: 0,
        oldestQueuedSeconds: QUEUE_STALL_SECONDS + 5,
      },
    ];
    try {
      const response = await ready();
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: 'unavailable',
        checks: {
          database: 'ok',
          realtime: 'ok',
          queue: `no worker is draining mail: its oldest job has waited ${QUEUE_STALL_SECONDS + 5} s`,
        },
      });
    } finally {
      queue.stats = [];
    }
  });

  it('answers 503 naming the database while it is unreachable, without its address or password', async () => {
    const config = databaseConfig();
    await closeDatabase();
    configureDatabase({
      ...config,
      appUrl: 'postgres://tenantry_app:hunter2-secret@127.0.0.1:1/x',
    });
    try {
      const response = await ready();
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({
        status: 'unavailable',
        checks: { database: 'unreachable', realtime: 'ok', ...queueOk },
      });
      expect(text).not.toMatch(/hunter2|127\.0\.0\.1|tenantry_app/);
    } finally {
      await closeDatabase();
      configureDatabase(config);
    }
    expect(await (await ready()).json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', realtime: 'ok', ...queueOk },
    });
  });
});
