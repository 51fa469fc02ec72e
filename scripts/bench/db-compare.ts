import { register } from 'node:module';
import { sql as drizzleSql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Stack } from './stack';

/**
 * The board query without HTTP, in this process, through the app's own modules: withTenant as the runtime
 * role (forced RLS) beside the same statements with no RLS and no transaction. `server-only` resolves as in
 * the server process (see scripts/server-only-hook.mjs).
 */

export type BoardQueries = Awaited<ReturnType<typeof loadBoardQueries>>;
export type Captured = { query: string; params: unknown[] }[];

export async function loadBoardQueries(
  stack: Stack,
  board: { tenantId: string; userId: string; projectId: string },
) {
  Object.assign(process.env, {
    DATABASE_URL: stack.db.urls.app,
    DATABASE_PLATFORM_URL: stack.db.urls.platform,
    AUTH_SECRET: 'bench-only-secret-bench-only-secret-0000',
  });
  register('../server-only-hook.mjs', import.meta.url);
  const { queryWithTenant, withTenant } = await import('@/db/with-tenant');
  const { appConnection } = await import('@/db/client');
  const { boardJsonSql, getBoardOrThrow } = await import('@/lib/tasks/queries');
  const schema = await import('@/db/schema');
  type Tx = Parameters<typeof getBoardOrThrow>[0];

  // The bootstrap superuser bypasses RLS: the floor of the same statements. Prepared, like withTenant's.
  // Planned like the app's own connections (db/client.ts), so the comparison isolates RLS and the transaction.
  const superuser = postgres(stack.superuserUrl, {
    max: 10,
    onnotice: () => {},
    connection: { plan_cache_mode: 'force_generic_plan' },
  });
  const captured: Captured = [];
  const preparing = {
    unsafe: (q: string, p: never[], o: object) => superuser.unsafe(q, p, { ...o, prepare: true }),
    options: superuser.options,
  } as unknown as postgres.Sql;
  const noRls = drizzle(preparing, { schema });
  const capturing = drizzle(preparing, {
    schema,
    logger: { logQuery: (query, params) => void captured.push({ query, params }) },
  });
  const args = { tenantId: board.tenantId, projectId: board.projectId };
  const probe = await getBoardOrThrow(capturing as unknown as Tx, args);
  if (probe.tasks.length !== 200)
    throw new Error(`The board read ${probe.tasks.length} tasks, not 200.`);

  const ctx = { tenantId: board.tenantId, userId: board.userId };
  return {
    captured,
    /**
     * What the app's board read runs on a miss: the single-statement form of withTenant, with BEGIN, the
     * settings, the statement and COMMIT in one round trip.
     */
    queryWithTenant: async () => {
      const [row] = await queryWithTenant<{ board: string }>(ctx, boardJsonSql(args));
      const cards = (JSON.parse(row!.board) as { tasks: unknown[] }).tasks.length;
      if (cards !== 200) throw new Error('queryWithTenant saw the wrong board');
    },
    /** withTenant with a callback: BEGIN + settings + first statement in one round trip, COMMIT in another. */
    withTenant: async () => {
      const b = await withTenant(ctx, (tx) => getBoardOrThrow(tx, args));
      if (b.tasks.length !== 200) throw new Error('withTenant saw the wrong board');
    },
    /** The helper as it was: Drizzle's transaction, an awaited set_config, unnamed statements. */
    naiveWithTenant: async () => {
      const b = await appConnection().db.transaction(async (tx) => {
        await tx.execute(
          drizzleSql`select set_config('app.tenant_id', ${ctx.tenantId}, true), set_config('app.user_id', ${ctx.userId}, true)`,
        );
        return getBoardOrThrow(tx, args);
      });
      if (b.tasks.length !== 200) throw new Error('the naive transaction saw the wrong board');
    },
    /** The same Drizzle statements with the explicit tenant filter they already carry, no RLS, no transaction. */
    noRls: async () => {
      const b = await getBoardOrThrow(noRls as unknown as Tx, args);
      if (b.tasks.length !== 200) throw new Error('the no-RLS read saw the wrong board');
    },
    /** The database's floor: the captured statement (the board built as JSON) straight through postgres.js. */
    driver: async () => {
      const [statement] = captured;
      const [row] = await superuser.unsafe(statement!.query, statement!.params as never[], {
        prepare: true,
      });
      const cards = (JSON.parse(row!.board as string) as { tasks: unknown[] }).tasks.length;
      if (cards !== 200) throw new Error(`the driver read ${cards} cards, not 200`);
    },
    async close() {
      await superuser.end();
      await appConnection().sql.end();
    },
  };
}
