import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROBE_INTERVAL_MS, reportDatabaseFailure } from '@/db/availability';
import { closeDatabase, configureDatabase, databaseConfig } from '@/db/client';
import { classifyConnectionFailure } from '@/db/connection-failure';
import { BEGIN_LIMIT_MS, POOL_WAIT_LIMIT_MS } from '@/db/connection-watch';
import { currentOutage } from '@/db/outage';
import { withTenant } from '@/db/with-tenant';
import { configureDatabaseFromEnv } from '@/lib/config/database';
import { describeFailure } from '@/lib/errors/app-error';
import { urls } from '../support/db';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

/**
 * The database layer of one process, in front of a PostgreSQL that a proxy takes away and brings back: the
 * circuit breaker, the pools' reconnection, and the bounded wait for a connection.
 */
const POOL_SIZE = 4;
let proxy: TcpProxy;
const original = databaseConfig();

beforeAll(async () => {
  const target = new URL(urls().app);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
  await closeDatabase();
  configureDatabase({
    ...original,
    appUrl: proxy.route(urls().app),
    platformUrl: proxy.route(urls().platform),
    poolSize: POOL_SIZE,
    observer: { failed: reportDatabaseFailure },
  });
});

// Each test starts with the database reachable and the breaker closed, whatever the one before left.
beforeEach(async () => {
  await proxy.restore();
  await msUntil(() => currentOutage() === null, 5000);
});

afterAll(async () => {
  await closeDatabase();
  configureDatabase(original);
  await proxy.close();
});

const context = () => ({ tenantId: randomUUID(), userId: null });
const ping = () => withTenant(context(), (tx) => tx.execute(sql`select 1`));

async function timed(fn: () => Promise<unknown>) {
  const started = performance.now();
  try {
    await fn();
    return { error: undefined as unknown, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

async function msUntil(condition: () => boolean, limitMs: number) {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > limitMs) throw new Error(`Not within ${limitMs} ms`);
    await sleep(5);
  }
  return performance.now() - started;
}

/** Holds every connection of the pool until `release` is called; resolves once all of them are taken. */
async function holdEveryConnection() {
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let taken = 0;
  const holders = Promise.all(
    Array.from({ length: POOL_SIZE }, () =>
      withTenant(context(), async (tx) => {
        await tx.execute(sql`select 1`);
        taken++;
        await held;
      }),
    ),
  );
  holders.catch(() => {});
  await msUntil(() => taken === POOL_SIZE, POOL_WAIT_LIMIT_MS);
  return async () => {
    release();
    await holders;
  };
}

describe('when the database goes away', () => {
  it('opens the breaker on the first failure; requests then fail at once; it closes as soon as the database answers', async () => {
    // Every connection of the pool open and done with its start-up queries.
    await (await holdEveryConnection())();
    await proxy.cut();

    const first = await timed(ping);
    expect(classifyConnectionFailure(first.error)).toBe('unreachable');
    expect(describeFailure(first.error).code).toBe('unavailable');
    expect(first.ms).toBeLessThan(2000);
    expect(currentOutage()).not.toBeNull();

    // While it is open, no request waits on the pool.
    const during = await Promise.all(Array.from({ length: 50 }, () => timed(ping)));
    for (const attempt of during) {
      expect(attempt.error).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      // Far below a pool's wait or a connection attempt: nothing was waited for.
      expect(attempt.ms).toBeLessThan(500);
    }
    // The probe keeps finding it down.
    await sleep(3 * PROBE_INTERVAL_MS);
    expect(currentOutage()).not.toBeNull();

    await proxy.restore();
    const closedAfterMs = await msUntil(() => currentOutage() === null, 3000);
    expect(closedAfterMs).toBeLessThan(PROBE_INTERVAL_MS + 1000);
    // Every connection of the pool connects again: twice as many transactions as connections, all served.
    const after = await Promise.all(Array.from({ length: 2 * POOL_SIZE }, () => timed(ping)));
    for (const attempt of after) {
      expect(attempt.error).toBeUndefined();
      expect(attempt.ms).toBeLessThan(1000);
    }
  });

  it('under a load of transactions, every one settles within 2 s of the loss, and they succeed again within 1 s of its return', async () => {
    const tenantId = randomUUID();
    // Several statements per transaction, some pipelined: a connection that dies leaves some in flight and
    // some queued behind them.
    const transaction = () =>
      withTenant({ tenantId, userId: null }, async (tx) => {
        await tx.execute(sql`select pg_sleep(0.002)`);
        await Promise.all([tx.execute(sql`select 1`), tx.execute(sql`select 2`)]);
        await tx.execute(sql`select ${randomUUID()}::uuid`);
      });
    let running = true;
    let succeeded = 0;
    let slowestMs = 0;
    const loops = Array.from({ length: 3 * POOL_SIZE }, async () => {
      while (running) {
        const attempt = await timed(transaction);
        slowestMs = Math.max(slowestMs, attempt.ms);
        if (attempt.error === undefined) succeeded++;
        else {
          expect(describeFailure(attempt.error).code).toBe('unavailable');
          await sleep(5);
        }
      }
    });
    await msUntil(() => succeeded >= 2 * POOL_SIZE, 15_000);

    slowestMs = 0;
    await proxy.cut();
    await sleep(2000);
    expect(slowestMs).toBeLessThan(2000);

    const before = succeeded;
    await proxy.restore();
    const recoveredAfterMs = await msUntil(() => succeeded > before, 3000);
    expect(recoveredAfterMs).toBeLessThan(1000);
    running = false;
    await Promise.all(loops);
  });

  it('counts a connection that does not answer BEGIN within a second as lost', async () => {
    await ping();
    proxy.silence();
    const stalled = await timed(ping);
    expect(stalled.error).toMatchObject({ code: 'CONNECTION_STALLED' });
    expect(describeFailure(stalled.error).code).toBe('unavailable');
    expect(stalled.ms).toBeGreaterThanOrEqual(BEGIN_LIMIT_MS - 20);
    expect(stalled.ms).toBeLessThan(BEGIN_LIMIT_MS + 500);
    // New connections answer: the breaker closes at once, and the pools it retired are replaced.
    await msUntil(() => currentOutage() === null, 3000);
    await ping();
  });

  it('answers 503 once the pool has handed out no connection for a while, and keeps the breaker closed while the database answers', async () => {
    const release = await holdEveryConnection();
    const waited = await timed(ping);
    expect(waited.error).toMatchObject({ code: 'POOL_TIMEOUT' });
    expect(classifyConnectionFailure(waited.error)).toBe('saturated');
    expect(describeFailure(waited.error).code).toBe('unavailable');
    expect(waited.ms).toBeGreaterThanOrEqual(POOL_WAIT_LIMIT_MS - 20);
    expect(waited.ms).toBeLessThan(POOL_WAIT_LIMIT_MS + 500);
    // A full pool is not an outage: the probe reached the database on a connection of its own.
    await sleep(PROBE_INTERVAL_MS);
    expect(currentOutage()).toBeNull();
    await release();

    // The connection that arrived after the wait was given up went back to the pool: all of them serve.
    const releaseAgain = await holdEveryConnection();
    await releaseAgain();
  });

  it('waits for a queue that moves, however long it is', async () => {
    // Ten times as many transactions as connections, each holding its connection for a tenth of the limit:
    // the last ones wait longer than POOL_WAIT_LIMIT_MS in all, and none of them is refused.
    const holdMs = POOL_WAIT_LIMIT_MS / 10;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 10 * POOL_SIZE }, () =>
        withTenant(context(), (tx) => tx.execute(sql`select pg_sleep(${holdMs / 1000})`)),
      ),
    );
    expect(performance.now() - started).toBeGreaterThan(POOL_WAIT_LIMIT_MS);
  });
});

describe('the server configuration', () => {
  it('feeds every failed transaction to the breaker, whose probe finds the real database', async () => {
    await closeDatabase();
    configureDatabaseFromEnv();
    databaseConfig().observer?.failed?.(
      Object.assign(new Error('write CONNECTION_CLOSED 127.0.0.1:5432'), {
        code: 'CONNECTION_CLOSED',
      }),
    );
    expect(currentOutage()).not.toBeNull();
    await msUntil(() => currentOutage() === null, 3000);
    // A failure the database answered leaves it closed.
    databaseConfig().observer?.failed?.(Object.assign(new Error('duplicate'), { code: '23505' }));
    expect(currentOutage()).toBeNull();
    await ping();
  });
});
