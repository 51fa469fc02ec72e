import type postgres from 'postgres';

/**
 * Whether every tenant table could be distributed by `tenant_id` (Citus hash-distributes a table by one
 * column, and enforces a unique or foreign key on a shard only when that key includes the column), read from
 * the catalog of the `public` schema.
 *
 * The rules, for a table with a `tenant_id` column:
 * - `tenant_id` is NOT NULL (a row without a distribution value has no shard);
 * - it has a primary key, and the key includes `tenant_id`;
 * - every unique index and exclusion constraint includes `tenant_id` as one of its columns;
 * - every foreign key to another tenant table pairs `tenant_id` with `tenant_id`, so it never crosses shards.
 * And for the tables without one (`globalTables`, each named with the reason it is global): none has a foreign
 * key into a tenant table, since a reference table cannot point into a distributed one. A table that is in
 * neither group is reported, so a new table is classified when it is added.
 */

type Sql = postgres.Sql | postgres.TransactionSql;

type Table = { oid: number; name: string; tenantAttnum: number | null; tenantNotNull: boolean };

type Key = {
  table: string;
  name: string;
  kind: 'primary key' | 'unique index' | 'exclusion constraint';
  columns: number[];
};

type ForeignKey = {
  table: string;
  name: string;
  referenced: string;
  columns: number[];
  referencedColumns: number[];
};

export async function findDistributionProblems(
  sql: Sql,
  globalTables: Record<string, string>,
): Promise<string[]> {
  const tables = await sql<Table[]>`
    select c.oid::int as oid, c.relname as name, a.attnum::int as "tenantAttnum",
      coalesce(a.attnotnull, false) as "tenantNotNull"
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
    order by c.relname`;
  const keys = await sql<Key[]>`
    select i.indrelid::regclass::text as table, i.indexrelid::regclass::text as name,
      case when i.indisprimary then 'primary key' else 'unique index' end as kind,
      (select array_agg(k::int) from unnest(i.indkey::int2[]) k) as columns
    from pg_index i join pg_class c on c.oid = i.indrelid
    where c.relnamespace = 'public'::regnamespace and i.indisunique
    union all
    select conrelid::regclass::text, conname, 'exclusion constraint', conkey::int[]
    from pg_constraint where connamespace = 'public'::regnamespace and contype = 'x'`;
  const foreignKeys = await sql<ForeignKey[]>`
    select conrelid::regclass::text as table, conname as name,
      confrelid::regclass::text as referenced,
      conkey::int[] as columns, confkey::int[] as "referencedColumns"
    from pg_constraint where connamespace = 'public'::regnamespace and contype = 'f'
    order by 1, 2`;

  const byName = new Map(tables.map((t) => [t.name, t]));
  const isTenantTable = (name: string) => byName.get(name)?.tenantAttnum != null;
  const problems: string[] = [];

  for (const table of tables) {
    const global = table.name in globalTables;
    if (table.tenantAttnum === null) {
      if (!global)
        problems.push(
          `${table.name} has no tenant_id and is not listed as a global table (with the reason it is global)`,
        );
      continue;
    }
    if (global) problems.push(`${table.name} has a tenant_id but is listed as a global table`);
    if (!table.tenantNotNull) problems.push(`${table.name}.tenant_id is nullable`);
    const tableKeys = keys.filter((k) => k.table === table.name);
    if (!tableKeys.some((k) => k.kind === 'primary key'))
      problems.push(`${table.name} has no primary key`);
    for (const key of tableKeys) {
      if (!key.columns.includes(table.tenantAttnum))
        problems.push(`${key.kind} ${key.name} of ${table.name} does not include tenant_id`);
    }
  }
  for (const name of Object.keys(globalTables)) {
    if (!byName.has(name)) problems.push(`${name} is listed as a global table but does not exist`);
  }

  for (const fk of foreignKeys) {
    const from = byName.get(fk.table);
    const to = byName.get(fk.referenced);
    if (!from || !to || !isTenantTable(fk.referenced)) continue;
    if (!isTenantTable(fk.table)) {
      problems.push(
        `foreign key ${fk.name} points from the global table ${fk.table} into the tenant table ${fk.referenced}`,
      );
      continue;
    }
    const paired = fk.columns.some(
      (column, i) => column === from.tenantAttnum && fk.referencedColumns[i] === to.tenantAttnum,
    );
    if (!paired)
      problems.push(
        `foreign key ${fk.name} from ${fk.table} to ${fk.referenced} does not pair tenant_id with tenant_id`,
      );
  }
  return problems;
}
