import Link from 'next/link';
import { Field } from '@/components/ui/field';
import { type FilterSelect, TableToolbar } from '@/components/ui/table-toolbar';
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES, auditActionLabel } from '@/lib/audit/actions';
import type { AuditActor } from '@/lib/audit/queries';

export type AuditFilterValues = Partial<
  Record<'actor' | 'action' | 'targetType' | 'targetId' | 'from' | 'to', string>
>;

/** A select's options, with the current value kept even when the list does not know it (an older action). */
function options(entries: [string, string][], current: string | undefined, any: string) {
  const list = [{ value: '', label: any }, ...entries.map(([value, label]) => ({ value, label }))];
  if (current && !entries.some(([value]) => value === current))
    list.push({ value: current, label: current });
  return list;
}

/**
 * The audit log's filters: a GET form (TableToolbar), so filtering works with the keyboard and before
 * hydration, and a filtered view is a URL to share. Errors show beside the date and target id fields and,
 * for the selects, in the summary above the form.
 */
export function AuditLogFilters({
  values,
  actors,
  fieldErrors = {},
}: {
  values: AuditFilterValues;
  actors: AuditActor[];
  fieldErrors?: Record<string, string>;
}) {
  const actionEntries = Object.keys(AUDIT_ACTIONS)
    .map((action): [string, string] => [action, auditActionLabel(action)])
    .sort((a, b) => a[1].localeCompare(b[1]));
  const filters: FilterSelect[] = [
    {
      name: 'actor',
      label: 'Actor',
      value: values.actor ?? '',
      options: options(
        actors.map((a) => [
          a.userId,
          a.former && !a.deleted ? `${a.name} (former member)` : a.name,
        ]),
        values.actor,
        'Anyone',
      ),
    },
    {
      name: 'action',
      label: 'Action',
      value: values.action ?? '',
      options: options(actionEntries, values.action, 'Any action'),
    },
    {
      name: 'targetType',
      label: 'Target',
      value: values.targetType ?? '',
      options: options(Object.entries(AUDIT_TARGET_TYPES), values.targetType, 'Any target'),
    },
  ];
  const filtered = Object.values(values).some(Boolean);
  return (
    <TableToolbar filters={filters}>
      <Field
        label="Target id"
        name="targetId"
        defaultValue={values.targetId ?? ''}
        error={fieldErrors.targetId}
        className="w-56"
        placeholder="e.g. a task's id"
      />
      <Field
        label="From (UTC)"
        name="from"
        type="date"
        defaultValue={values.from ?? ''}
        error={fieldErrors.from}
      />
      <Field
        label="To (UTC)"
        name="to"
        type="date"
        defaultValue={values.to ?? ''}
        error={fieldErrors.to}
      />
      {filtered && (
        <Link
          href="/settings/audit-log"
          className="py-2 text-sm font-medium text-brand-700 hover:underline"
        >
          Clear filters
        </Link>
      )}
    </TableToolbar>
  );
}
