import type { LiveState } from './use-tenant-events';

const LIVE_LABELS: Record<LiveState, { text: string; dot: string }> = {
  live: { text: 'Live', dot: 'bg-emerald-500' },
  connecting: { text: 'Connecting…', dot: 'bg-amber-400' },
  reconnecting: { text: 'Reconnecting…', dot: 'bg-amber-400 animate-pulse' },
  offline: {
    text: 'Offline: changes are saved, others’ changes appear when back',
    dot: 'bg-slate-400',
  },
};

/** Whether others' changes are reaching this tab: live, (re)connecting, or offline. */
export function LiveIndicator({ state }: { state: LiveState }) {
  const label = LIVE_LABELS[state];
  return (
    <span
      role="status"
      aria-label={`Live updates: ${label.text}`}
      className="inline-flex items-center gap-1.5 text-xs text-slate-500"
    >
      <span aria-hidden className={`size-2 rounded-full ${label.dot}`} />
      {label.text}
    </span>
  );
}
