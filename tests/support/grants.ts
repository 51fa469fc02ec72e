import type postgres from 'postgres';

/**
 * The privileges the database grants, read from the catalog, and db/grants.allowlist, the reviewed list of
 * them (tests/integration/grants.test.ts compares the two).
 */

export type GrantKind = 'database' | 'schema' | 'table' | 'sequence' | 'function';

/** One privilege of one grantee on one object: on the whole object when `column` is null. */
export type Grant = {
  grantee: string;
  kind: GrantKind;
  object: string;
  /** `SELECT`, `UPDATE`, ..., followed by ` WITH GRANT OPTION` when the grantee may pass it on. */
  privilege: string;
  column: string | null;
};

/**
 * Every privilege held by anyone but the object's owner (whose privileges come with owning it): PUBLIC and
 * every role, on the current database, the schemas, tables, views, sequences, columns and functions outside
 * PostgreSQL's own schemas. A NULL ACL means the defaults, which `acldefault` spells out (functions default
 * to EXECUTE for PUBLIC). Column ACLs hold only the grants made on columns: a table-level grant appears once,
 * on the table, and covers every column, including columns added later. System columns count too: a grant
 * of SELECT (ctid) lets a role pick rows without reading any of their columns.
 */
export async function readCatalogGrants(sql: postgres.Sql | postgres.TransactionSql) {
  return sql<Grant[]>`
    with schemas as (
      select oid, nspname, nspowner, nspacl,
        case when nspname = 'public' then '' else nspname || '.' end as prefix
      from pg_namespace where nspname <> 'information_schema' and nspname not like 'pg\\_%'
    ), objects as (
      select case when c.relkind = 'S' then 'sequence' else 'table' end as kind,
        s.prefix || c.relname as object, null::name as col, c.relowner as owner,
        coalesce(c.relacl, acldefault((case when c.relkind = 'S' then 's' else 'r' end)::"char", c.relowner)) as acl
      from pg_class c join schemas s on s.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
      union all
      select 'table', s.prefix || c.relname, a.attname, c.relowner, a.attacl
      from pg_attribute a join pg_class c on c.oid = a.attrelid join schemas s on s.oid = c.relnamespace
      where not a.attisdropped and a.attacl is not null
      union all
      select 'function', s.prefix || p.proname || '(' || oidvectortypes(p.proargtypes) || ')', null,
        p.proowner, coalesce(p.proacl, acldefault('f', p.proowner))
      from pg_proc p join schemas s on s.oid = p.pronamespace
      union all
      select 'schema', nspname, null, nspowner, coalesce(nspacl, acldefault('n', nspowner)) from schemas
      union all
      select 'database', 'current', null, datdba, coalesce(datacl, acldefault('d', datdba))
      from pg_database where datname = current_database()
    )
    select case when x.grantee = 0 then 'PUBLIC' else pg_get_userbyid(x.grantee)::text end as grantee,
      o.kind, o.object, o.col::text as "column",
      x.privilege_type || case when x.is_grantable then ' WITH GRANT OPTION' else '' end as privilege
    from objects o cross join lateral aclexplode(o.acl) x
    where x.grantee <> o.owner`;
}

const PRIVILEGES =
  'SELECT|INSERT|UPDATE|DELETE|TRUNCATE|REFERENCES|TRIGGER|MAINTAIN|USAGE|EXECUTE|CREATE|CONNECT|TEMPORARY';
// `<grantee> <kind> <object> <PRIVILEGE>[ WITH GRANT OPTION][ (<column>, <column>, ...)]`; an object may hold
// spaces (a function's argument types), a privilege is upper case.
const LINE = new RegExp(
  `^(\\S+) (database|schema|table|sequence|function) (.+?) ((?:${PRIVILEGES})(?: WITH GRANT OPTION)?)(?: \\(([^()]+)\\))?$`,
);

/**
 * The grants an allowlist names, its lines without comments and spacing (to compare with the canonical form
 * `formatAllowlist` gives), and the lines it could not read.
 */
export function parseAllowlist(text: string) {
  const grants: Grant[] = [];
  const lines: string[] = [];
  const unreadable: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim().replace(/\s+/g, ' ');
    if (line === '') return;
    const match = LINE.exec(line);
    if (!match) {
      unreadable.push(`line ${i + 1}: ${raw}`);
      return;
    }
    const [, grantee, kind, object, privilege, columns] = match as unknown as [
      string,
      string,
      GrantKind,
      string,
      string,
      string | undefined,
    ];
    lines.push(line);
    for (const column of columns?.split(',').map((c) => c.trim()) ?? [null]) {
      grants.push({ grantee, kind, object, privilege, column });
    }
  });
  return { grants, lines, unreadable };
}

const keyOf = (g: Grant) =>
  [g.grantee, g.kind, g.object, g.privilege, g.column ?? ''].join('\u0000');

function describeGrant(g: Grant) {
  if (g.column !== null) return `${g.privilege} on column ${g.object}.${g.column}`;
  if (g.kind === 'table') {
    return `table-level ${g.privilege} on ${g.object} (every column, also those added later)`;
  }
  return `${g.privilege} on ${g.kind} ${g.object}`;
}

/** Both ways: what the database grants that the allowlist lacks, and what the allowlist names in vain. */
export function compareGrants(catalog: Grant[], allowed: Grant[]) {
  const allowedKeys = new Set(allowed.map(keyOf));
  const catalogKeys = new Set(catalog.map(keyOf));
  return {
    unlisted: catalog
      .filter((g) => !allowedKeys.has(keyOf(g)))
      .map((g) => `${g.grantee} holds ${describeGrant(g)}, which db/grants.allowlist does not list`)
      .sort(),
    missing: allowed
      .filter((g) => !catalogKeys.has(keyOf(g)))
      .map(
        (g) =>
          `db/grants.allowlist gives ${g.grantee} ${describeGrant(g)}, which the database does not grant`,
      )
      .sort(),
  };
}

/** The allowlist's lines for `grants`: one per grantee, object and privilege, with its columns together. */
export function formatAllowlist(grants: Grant[]): string[] {
  const lines = new Map<string, string[]>();
  for (const g of grants) {
    const head = `${g.grantee} ${g.kind} ${g.object} ${g.privilege}`;
    const key = g.column === null ? head : `${head} (`;
    lines.set(key, [...(lines.get(key) ?? []), ...(g.column === null ? [] : [g.column])]);
  }
  return [...lines.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, columns]) => (key.endsWith(' (') ? `${key}${columns.sort().join(', ')})` : key));
}
