import 'server-only';
import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig } from 'drizzle-orm/pg-core';

/**
 * Deletes up to `limit` rows of `table` that the current role can see, picked by their key. It names no
 * condition: it is run as the worker role, whose policies show it only the rows past their retention
 * (db/schema/retention.ts), so "what it can see" is "what is dead". Keys are spelled unqualified so that the
 * subquery's refer to its own scan of the table.
 */
export function deleteVisibleRowsSql(table: PgTable, key: PgColumn[], limit: number): SQL {
  const name = sql.identifier(getTableConfig(table).name);
  const columns = sql.join(
    key.map((column) => sql.identifier(column.name)),
    sql`, `,
  );
  return sql`delete from ${name} where (${columns}) in (select ${columns} from ${name} limit ${limit})`;
}
