import type { ReactNode } from 'react';

export type FilterSelect = {
  name: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
};

/**
 * Search and filters above a DataTable: a GET form, so it works before hydration and with the keyboard, and
 * its state is the URL. Submitting starts again from the first page (the cursor is not carried).
 */
export function TableToolbar({
  search,
  filters = [],
  keep = {},
  children,
}: {
  search?: { name: string; label: string; value: string; placeholder?: string };
  filters?: FilterSelect[];
  /** Parameters to carry through a search (the sort), as hidden fields. */
  keep?: Record<string, string | undefined>;
  children?: ReactNode;
}) {
  return (
    <search className="mb-4">
      <form method="get" className="flex flex-wrap items-end gap-3">
        {Object.entries(keep).map(([name, value]) =>
          value ? <input key={name} type="hidden" name={name} value={value} /> : null,
        )}
        {search && (
          <label className="flex min-w-56 flex-1 flex-col text-sm font-medium text-slate-800">
            {search.label}
            <input
              type="search"
              name={search.name}
              defaultValue={search.value}
              placeholder={search.placeholder}
              className="mt-1.5 rounded-md bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-slate-300 focus:outline-none focus:ring-2 focus:ring-brand-500"
            />
          </label>
        )}
        {filters.map((filter) => (
          <label key={filter.name} className="flex flex-col text-sm font-medium text-slate-800">
            {filter.label}
            <select
              name={filter.name}
              defaultValue={filter.value}
              className="mt-1.5 rounded-md bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-slate-300 focus:outline-none focus:ring-2 focus:ring-brand-500"
            >
              {filter.options.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
        ))}
        {children}
        <button
          type="submit"
          className="rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-400"
        >
          Apply
        </button>
      </form>
    </search>
  );
}
