import 'server-only';
import type { SQL } from 'drizzle-orm';
import {
  createTableRelationsHelpers,
  type ExtractTablesWithRelations,
  extractTablesRelationalConfig,
} from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { PostgresJsSession, PostgresJsTransaction } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import { databaseConfig, type Transaction } from './client';
import { classifyConnectionFailure, databaseUnavailableError } from './connection-failure';
import { type ConnectionWatch, reserveWithin, watchConnection } from './connection-watch';
import { currentOutage } from './outage';
import * as schema from './schema';

/**
 * Transactions with as few round trips as the protocol allows, for the helpers that open every request's
 * transactions (withTenant, withPlatform).
 *
 * - `BEGIN`, the context statement and the caller's first statement leave in one write: postgres.js
 *   pipelines the queries of a reserved connection and runs them strictly in the order they were executed,
 *   so the context is in place before any statement of the caller runs, and if it failed the transaction
 *   is aborted and every later statement fails with it.
 * - Drizzle's statements run as named prepared statements (postgres.js caches them per connection). Drizzle
 *   sends them unnamed, and postgres.js then describes every parameterized statement in a round trip of its
 *   own before executing it, which also stops pipelining; a prepared statement needs one round trip, and
 *   PostgreSQL parses it once per connection. Plans stay correct across tenants: the policies read
 *   `app.tenant_id` when the statement runs, never when it is planned. Behind PgBouncer before 1.21
 *   (`DATABASE_PREPARE=false`) they run unnamed instead, and are parsed and planned every time.
 */

const dialect = new PgDialect();
const tables = extractTablesRelationalConfig<ExtractTablesWithRelations<typeof schema>>(
  schema,
  createTableRelationsHelpers,
);
const relationalSchema = {
  fullSchema: schema,
  schema: tables.tables,
  tableNamesMap: tables.tableNamesMap,
};

const observer = () => databaseConfig().observer;

async function reserve(pool: postgres.Sql) {
  // While the breaker is open (db/availability.ts), fail at once: the pool would only wait to fail.
  if (currentOutage()) throw databaseUnavailableError();
  const started = performance.now();
  try {
    const conn = await reserveWithin(pool);
    observer()?.acquired?.(performance.now() - started);
    return conn;
  } catch (error) {
    observer()?.failed?.(error);
    throw error;
  }
}

function release(conn: postgres.ReservedSql) {
  conn.release();
  observer()?.released?.();
}

type Opening = (sql: postgres.ReservedSql) => postgres.PendingQuery<postgres.Row[]>;

/** What Drizzle's session calls on its client: `unsafe`, and `savepoint` for nested transactions. */
function preparedClient(conn: postgres.ReservedSql, prepare: boolean, connection: ConnectionWatch) {
  return {
    unsafe: (query: string, params?: postgres.ParameterOrJSON<never>[], options?: object) =>
      connection.watch(conn.unsafe(query, params, { ...options, prepare })),
    savepoint: () => {
      throw new Error('Nested transactions are not supported inside withTenant or withPlatform.');
    },
  } as unknown as postgres.Sql;
}

/**
 * Runs `fn` in a transaction on a connection of `pool` (which must already be wrapped by Drizzle, for its
 * type parsers), after the statement `opening` returns, if any. The connection goes back to the pool only
 * once the transaction has ended (see `endAfterFailure`).
 */
export async function runTransaction<T>(
  pool: postgres.Sql,
  opening: Opening | null,
  fn: (tx: Transaction) => Promise<T>,
): Promise<T> {
  const conn = await reserve(pool);
  const connection = watchConnection();
  const opened = Promise.all([
    connection.watchBegin(conn`begin`.execute()),
    ...(opening ? [connection.watch(opening(conn).execute())] : []),
  ]);
  // Awaited after fn: a failure here aborts the transaction, so fn's own statements fail first anyway.
  opened.catch(() => {});
  const session = new PostgresJsSession(
    preparedClient(conn, databaseConfig().prepare, connection),
    dialect,
    relationalSchema,
  );
  try {
    // Drizzle's own declarations disagree on the client type of a transaction's session.
    const tx = new PostgresJsTransaction(dialect, session as never, relationalSchema);
    // Once, as a promise: fn may return one of Drizzle's lazy queries, which runs again on every `then`.
    const work = Promise.resolve(fn(tx as Transaction));
    // Settles later, if ever, once the connection was lost (see connection-watch.ts).
    work.catch(() => {});
    const result = await Promise.race([work, connection.lost]);
    await opened;
    await Promise.race([connection.watch(conn`commit`.execute()), connection.lost]);
    release(conn);
    return result;
  } catch (error) {
    await endAfterFailure(conn, error);
    observer()?.failed?.(error);
    throw error;
  }
}

/**
 * Rolls back and releases a connection whose transaction failed. Not one that died with the server:
 * postgres.js 3.4.9 sends nothing on a reserved connection whose socket has closed, so a ROLLBACK there
 * would wait until the connection is reused (and throw from a timer on the way, porsager/postgres#1208).
 * Such a connection stays reserved; the breaker, which the same failure opens, retires its pool.
 */
async function endAfterFailure(conn: postgres.ReservedSql, error: unknown) {
  if (classifyConnectionFailure(error) === 'unreachable') {
    observer()?.released?.();
    return;
  }
  // If even ROLLBACK fails, the connection is gone and postgres.js has set it aside to reconnect.
  await conn`rollback`.then(
    () => release(conn),
    () => observer()?.released?.(),
  );
}

/**
 * One statement in a transaction of its own: BEGIN, the opening statement, the statement and COMMIT leave in
 * one write and come back together, so the caller pays one round trip and one wake-up of the event loop. For
 * the hottest single statements (the session check of every request); anything longer uses `runTransaction`.
 * The rows come back as PostgreSQL names them, without Drizzle's mapping: alias the columns in the SQL.
 */
export async function runStatement<R>(
  pool: postgres.Sql,
  opening: Opening,
  statement: SQL,
): Promise<R[]> {
  const { sql: text, params } = dialect.sqlToQuery(statement);
  const conn = await reserve(pool);
  const connection = watchConnection();
  let settled: PromiseSettledResult<unknown>[];
  try {
    settled = await Promise.race([
      Promise.allSettled([
        connection.watchBegin(conn`begin`.execute()),
        connection.watch(opening(conn).execute()),
        connection.watch(
          conn
            .unsafe(text, params as postgres.ParameterOrJSON<never>[], {
              prepare: databaseConfig().prepare,
            })
            .execute(),
        ),
        // After a failed statement PostgreSQL answers this COMMIT with a rollback: the connection is clean.
        connection.watch(conn`commit`.execute()),
      ]),
      connection.lost,
    ]);
  } catch (error) {
    // The connection was lost before every statement had its answer.
    await endAfterFailure(conn, error);
    observer()?.failed?.(error);
    throw error;
  }
  const failed = settled.find((r) => r.status === 'rejected');
  if (settled[3]!.status === 'fulfilled') release(conn);
  // COMMIT itself failed (a deferred check, or the connection is gone): as in runTransaction.
  else await endAfterFailure(conn, settled[3]!.reason);
  if (failed) {
    observer()?.failed?.(failed.reason);
    throw failed.reason;
  }
  return (settled[2] as PromiseFulfilledResult<unknown>).value as R[];
}
