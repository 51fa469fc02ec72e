import type { PresentMember } from '@/components/realtime/use-presence';

const COLORS = [
  'bg-sky-600',
  'bg-emerald-600',
  'bg-violet-600',
  'bg-amber-600',
  'bg-rose-600',
  'bg-teal-600',
];

export function initials(name: string) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters =
    parts.length > 1 ? `${parts[0]![0]}${parts.at(-1)![0]}` : (parts[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}

function colorOf(id: string) {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return COLORS[hash % COLORS.length];
}

export function Avatar({
  id,
  name,
  label,
  size = 'md',
}: {
  id: string;
  name: string;
  /** The tooltip, when it says more than the name (a former member). */
  label?: string;
  size?: 'sm' | 'md';
}) {
  const dims = size === 'sm' ? 'size-6 text-[10px]' : 'size-8 text-xs';
  return (
    <span
      title={label ?? name}
      className={`inline-grid shrink-0 place-items-center rounded-full font-semibold text-white ring-2 ring-white ${dims} ${colorOf(id)}`}
    >
      {initials(name)}
    </span>
  );
}

/** A row of overlapping avatars with a "+N" beyond `max`, labelled for screen readers. */
export function PresenceAvatars({
  label,
  members,
  max = 6,
}: {
  label: string;
  members: PresentMember[];
  max?: number;
}) {
  if (members.length === 0) return null;
  const shown = members.slice(0, max);
  return (
    <div className="flex items-center gap-2">
      <span className="text-xs text-slate-500">{label}</span>
      <ul aria-label={label} className="flex -space-x-2">
        {shown.map((m) => (
          <li key={m.id} aria-label={m.name}>
            <Avatar id={m.id} name={m.name} />
          </li>
        ))}
        {members.length > max && (
          <li className="inline-grid size-8 place-items-center rounded-full bg-slate-200 text-xs font-semibold text-slate-700 ring-2 ring-white">
            +{members.length - max}
          </li>
        )}
      </ul>
    </div>
  );
}
