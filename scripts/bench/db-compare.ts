import { register } from 'node:module';
import { sql as drizzleSql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Stack } from './stack';

/**
 * The board query without HTTP, in this process, through the app's own modules: withTenant as the runtime
 * role (forced RLS) beside the same statements with no RLS and no transaction. `server-only` resolves as in
 * the server process (see scripts/server-only-hook.mjs).
 */

export type BoardQueries = Awaited<ReturnType<typeof loadBoardQueries>>;

export async function loadBoardQueries(
  stack: Stack,
  board: { tenantId: string; userId: string; projectId: string },
) {
  Object.assign(process.env, {
    DATABASE_URL: stack.db.urls.app,
    DATABASE_PLATFORM_URL: stack.db.urls.platform,
    AUTH_SECRET: stack.authSecret,
  });
  register('../server-only-hook.mjs', import.meta.url);
  const { queryWithTenant, withTenant } = await import('@/db/with-tenant');
  const { closeDatabase, configureDatabase } = await import('@/db/client');
  configureDatabase({
    appUrl: stack.db.urls.app,
    platformUrl: stack.db.urls.platform,
    poolSize: 10,
    prepare: true,
  });
  const { boardJsonSql } = await import('@/db/statements/board');

  // The bootstrap superuser bypasses RLS: the floor of the same statement. Prepared, like withTenant's.
  // Planned like the app's own connections (db/client.ts), so the comparison isolates RLS and the transaction.
  const superuser = postgres(stack.superuserUrl, {
    max: 10,
    onnotice: () => {},
    connection: { plan_cache_mode: 'force_generic_plan' },
  });
  const noRls = drizzle({
    unsafe: (q: string, p: never[], o: object) => superuser.unsafe(q, p, { ...o, prepare: true }),
    options: superuser.options,
  } as unknown as postgres.Sql);
  // The runtime role, set up as db/client.ts sets up the app's pool, for the naive transaction alone.
  const naivePool = postgres(stack.db.urls.app, {
    max: 10,
    onnotice: () => {},
    connection: { plan_cache_mode: 'force_generic_plan' },
  });
  const naive = drizzle(naivePool);
  const args = { tenantId: board.tenantId, projectId: board.projectId };
  const statement = new PgDialect().sqlToQuery(boardJsonSql(args));
  /** Parses the board as the app's client does, and checks it is the measured one. */
  const expectBoard = (rows: Record<string, unknown>[], who: string) => {
    const cards = (JSON.parse(rows[0]!.board as string) as { tasks: unknown[] }).tasks.length;
    if (cards !== 200) throw new Error(`${who} read ${cards} cards, not 200`);
  };
  expectBoard(await noRls.execute(boardJsonSql(args)), 'the probe');

  const ctx = { tenantId: board.tenantId, userId: board.userId };
  return {
    /**
     * What the app's board read runs on a miss: the single-statement form of withTenant, with BEGIN, the
     * settings, the statement and COMMIT in one round trip.
     */
    queryWithTenant: async () => {
      expectBoard(await queryWithTenant(ctx, boardJsonSql(args)), 'queryWithTenant');
    },
    /** withTenant with a callback: BEGIN + settings + first statement in one round trip, COMMIT in another. */
    withTenant: async () => {
      expectBoard(await withTenant(ctx, (tx) => tx.execute(boardJsonSql(args))), 'withTenant');
    },
    /**
     * The helper as it was: Drizzle's transaction, an awaited set_config, unnamed statements. On connections
     * of its own: PostgreSQL parses and plans every unnamed statement again, and backends that did so ran the
     * prepared statements of the rows above slower afterwards (in alternating runs here, 10% more database
     * CPU per call, against 1% with this row on its own connections).
     */
    naiveWithTenant: async () => {
      const rows = await naive.transaction(async (tx) => {
        await tx.execute(
          drizzleSql`select set_config('app.tenant_id', ${ctx.tenantId}, true), set_config('app.user_id', ${ctx.userId}, true)`,
        );
        return tx.execute(boardJsonSql(args));
      });
      expectBoard(rows, 'the naive transaction');
    },
    /** The same statement with the explicit tenant filter it already carries, no RLS, no transaction. */
    noRls: async () => {
      expectBoard(await noRls.execute(boardJsonSql(args)), 'the no-RLS read');
    },
    /** The database's floor: the same statement, already built, straight through postgres.js. */
    driver: async () => {
      expectBoard(
        await superuser.unsafe(statement.sql, statement.params as never[], { prepare: true }),
        'the driver',
      );
    },
    async close() {
      await superuser.end();
      await naivePool.end();
      await closeDatabase();
    },
  };
}
