import Link from 'next/link';
import type { ReactNode } from 'react';

export type SortDirection = 'asc' | 'desc';

export type Column = {
  key: string;
  label: string;
  /** A column the server can sort by: its header is a link that toggles the direction. */
  sortable?: boolean;
  className?: string;
};

export type TableRow = { id: string; cells: Record<string, ReactNode> };

/**
 * The settings dashboard's tables: server-rendered, so search, sort and pages are plain links and a GET
 * form (keyboard access and the back button for free, and a shareable URL). `hrefFor` builds this page's URL
 * with some parameters changed; changing the sort or the filters starts again from the first page.
 */
export function DataTable({
  caption,
  columns,
  rows,
  sort,
  hrefFor,
  nextCursor,
  isFirstPage,
  empty,
}: {
  caption: string;
  columns: Column[];
  rows: TableRow[];
  sort?: { key: string; direction: SortDirection };
  hrefFor: (changes: Record<string, string | null>) => string;
  nextCursor: string | null;
  isFirstPage: boolean;
  empty: ReactNode;
}) {
  return (
    <div className="overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead className="bg-slate-50">
            <tr>
              {columns.map((column) => (
                <th
                  key={column.key}
                  scope="col"
                  aria-sort={
                    sort?.key === column.key
                      ? sort.direction === 'asc'
                        ? 'ascending'
                        : 'descending'
                      : undefined
                  }
                  className={`px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 ${column.className ?? ''}`}
                >
                  {column.sortable ? (
                    <SortLink column={column} sort={sort} hrefFor={hrefFor} />
                  ) : (
                    column.label
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.id} className="hover:bg-slate-50/60">
                {columns.map((column) => (
                  <td
                    key={column.key}
                    className={`px-4 py-3 align-middle text-slate-700 ${column.className ?? ''}`}
                  >
                    {row.cells[column.key]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 && (
        <div className="px-6 py-10 text-center text-sm text-slate-500">{empty}</div>
      )}
      {(nextCursor || !isFirstPage) && (
        <nav
          aria-label={`${caption} pages`}
          className="flex items-center justify-between border-t border-slate-200 px-4 py-2.5 text-sm"
        >
          {isFirstPage ? (
            <span />
          ) : (
            <Link
              href={hrefFor({ cursor: null })}
              className="font-medium text-brand-700 hover:underline"
            >
              ← First page
            </Link>
          )}
          {nextCursor ? (
            <Link
              href={hrefFor({ cursor: nextCursor })}
              className="font-medium text-brand-700 hover:underline"
            >
              Next page →
            </Link>
          ) : (
            <span className="text-slate-400">Last page</span>
          )}
        </nav>
      )}
    </div>
  );
}

function SortLink({
  column,
  sort,
  hrefFor,
}: {
  column: Column;
  sort?: { key: string; direction: SortDirection };
  hrefFor: (changes: Record<string, string | null>) => string;
}) {
  const active = sort?.key === column.key;
  const next: SortDirection = active && sort?.direction === 'asc' ? 'desc' : 'asc';
  return (
    <Link
      href={hrefFor({ sort: column.key, direction: next, cursor: null })}
      className="inline-flex items-center gap-1 hover:text-slate-900"
    >
      {column.label}
      <span aria-hidden="true" className={active ? 'text-slate-900' : 'text-slate-300'}>
        {active && sort?.direction === 'desc' ? '↓' : '↑'}
      </span>
    </Link>
  );
}

/** Builds `hrefFor` for a page at `path` whose current search parameters are `current`. */
export function pageHref(path: string, current: Record<string, string | undefined>) {
  return (changes: Record<string, string | null>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...current, ...changes })) {
      if (value !== null && value !== undefined && value !== '') params.set(key, value);
    }
    const query = params.toString();
    return query ? `${path}?${query}` : path;
  };
}
