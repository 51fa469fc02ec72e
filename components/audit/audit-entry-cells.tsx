import { auditActionLabel, auditTargetLabel } from '@/lib/audit/actions';
import type { AuditActor, AuditRow } from '@/lib/audit/queries';

const ACTOR_TYPES: Record<string, string> = {
  user: 'User',
  api_key: 'API key',
  operator: 'Operator',
  system: 'System',
};

/** `2026-05-01 13:45:12 UTC`: one zone for every reader of the log, the zone its date filters use. */
export function formatAuditTime(date: Date) {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function compact(value: unknown, max = 60) {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function AuditTime({ row }: { row: AuditRow }) {
  return (
    <time dateTime={row.at} className="whitespace-nowrap tabular-nums">
      {formatAuditTime(row.createdAt)}
    </time>
  );
}

export function AuditActorCell({ row, actor }: { row: AuditRow; actor?: AuditActor }) {
  const type = ACTOR_TYPES[row.actorType] ?? row.actorType;
  if (!row.actorUserId) return <span className="text-slate-500">{type}</span>;
  const name = actor?.name ?? 'Deleted user';
  return (
    <div className="min-w-32">
      <span className={actor?.deleted !== false ? 'italic text-slate-500' : 'text-slate-900'}>
        {name}
      </span>
      <span className="block text-xs text-slate-500">
        {type}
        {actor?.former && !actor.deleted ? ' · Former member' : ''}
      </span>
    </div>
  );
}

export function AuditActionCell({ row }: { row: AuditRow }) {
  const label = auditActionLabel(row.action);
  return (
    <div className="min-w-40">
      <span className="text-slate-900">{label}</span>
      {label !== row.action && <code className="block text-xs text-slate-500">{row.action}</code>}
    </div>
  );
}

export function AuditTargetCell({ row }: { row: AuditRow }) {
  if (!row.targetType) return <span className="text-slate-400">—</span>;
  return (
    <div className="max-w-48">
      <span>{auditTargetLabel(row.targetType)}</span>
      {row.targetId && (
        <code className="block truncate text-xs text-slate-500" title={row.targetId}>
          {row.targetId}
        </code>
      )}
    </div>
  );
}

/** What changed, `field: before → after`, one line each; without changes, the entry's details, muted. */
export function AuditChangesCell({ row }: { row: AuditRow }) {
  const keys = [...new Set([...Object.keys(row.before ?? {}), ...Object.keys(row.after ?? {})])];
  if (keys.length > 0) {
    return (
      <ul className="max-w-72 space-y-0.5 text-xs">
        {keys.map((key) => (
          <li key={key} className="break-words">
            <span className="font-medium text-slate-700">{key}</span>:{' '}
            <span className="text-slate-500 line-through decoration-slate-300">
              {compact(row.before?.[key])}
            </span>{' '}
            → <span className="text-slate-900">{compact(row.after?.[key])}</span>
          </li>
        ))}
      </ul>
    );
  }
  const details = Object.entries(row.metadata ?? {});
  if (details.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <p className="max-w-72 break-words text-xs text-slate-500">
      {details.map(([key, value]) => `${key}: ${compact(value, 80)}`).join(' · ')}
    </p>
  );
}

/** The user agent, shortened to 40 characters; the whole string in its title (hover, and screen readers). */
export function AuditUserAgentCell({ row }: { row: AuditRow }) {
  if (!row.userAgent) return <span className="text-slate-400">—</span>;
  return (
    <span title={row.userAgent} className="block max-w-48 truncate text-xs">
      {compact(row.userAgent, 40)}
    </span>
  );
}
