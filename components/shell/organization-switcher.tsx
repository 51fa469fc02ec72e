'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { useEffect, useId, useRef, useState } from 'react';
import { fetchJson } from '@/components/board/fetch-json';
import { unwrap } from '@/lib/actions/unwrap';
import { switchOrganization } from '@/lib/my-organizations/actions';
import type { MyOrganization } from '@/lib/my-organizations/schemas';
import { queryKeys } from '@/lib/query-keys';
import { goToOrganizationHost } from './cross-host';

/**
 * The "New organization" dialog carries the sign-up form's fields and their validation (zod among it, about
 * 90 KB of script): loaded when the menu is first opened or hovered, not with every page of the organization.
 */
const loadDialog = () => import('./new-organization-dialog');
const NewOrganizationDialog = dynamic(() => loadDialog().then((m) => m.NewOrganizationDialog), {
  ssr: false,
});

const organizationsQuery = {
  queryKey: queryKeys.myOrganizations(),
  queryFn: () => fetchJson<{ organizations: MyOrganization[] }>('/api/my-organizations'),
  staleTime: 30_000,
};

/**
 * The organization's name in the shell, and a menu of the user's other organizations: choosing one lands
 * them signed in on its host (lib/my-organizations/switch.ts); "New organization" creates one without the
 * password. The list loads when the menu is first opened (or hovered), not with every page.
 */
export function OrganizationSwitcher({ organizationName }: { organizationName: string }) {
  const [open, setOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const [leavingFor, setLeavingFor] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const [prefetch, setPrefetch] = useState(false);
  const list = useQuery({ ...organizationsQuery, enabled: open || prefetch });
  useEffect(() => {
    if (open || prefetch) void loadDialog();
  }, [open, prefetch]);
  const switching = useMutation({
    mutationFn: (id: string) => unwrap(switchOrganization({ organizationId: id })),
    onMutate: (id) => setLeavingFor(id),
    onSuccess: ({ redirectTo }) => {
      // Stays busy while the browser leaves for the other host.
      if (!goToOrganizationHost(redirectTo)) setLeavingFor(null);
    },
    onError: () => setLeavingFor(null),
  });

  // While open: a click elsewhere closes it; Escape closes it and returns to the button; arrows move.
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (!root.current?.contains(document.activeElement)) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        setOpen(false);
        trigger.current?.focus();
      } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        moveFocus(panel.current, event.key === 'ArrowDown' ? 1 : -1);
      }
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  // Keyboard users land on the first choice once the list is there.
  const loaded = list.isSuccess;
  useEffect(() => {
    if (open && loaded)
      panel.current?.querySelector<HTMLElement>('button:not([disabled])')?.focus();
  }, [open, loaded]);

  const others = list.data?.organizations.filter((o) => !o.current) ?? [];
  const busy = leavingFor !== null;

  return (
    <div ref={root} className="relative mt-6">
      <button
        ref={trigger}
        type="button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((v) => !v)}
        onPointerEnter={() => setPrefetch(true)}
        onFocus={() => setPrefetch(true)}
        title={organizationName}
        className="flex w-full items-center justify-between gap-2 rounded-md px-2 py-1.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600"
      >
        <span className="truncate">
          <span className="sr-only">Organization: </span>
          {organizationName}
        </span>
        <span aria-hidden className="text-slate-400">
          ▾
        </span>
      </button>
      {open && (
        <section
          ref={panel}
          id={panelId}
          aria-label="Switch organization"
          className="absolute inset-x-0 top-full z-20 mt-1 rounded-lg bg-white p-1 shadow-lg ring-1 ring-slate-200"
        >
          <p className="px-2 pt-1.5 pb-1 text-xs font-medium text-slate-500">Your organizations</p>
          {list.isPending && (
            <p role="status" className="px-2 py-1.5 text-sm text-slate-500">
              Loading…
            </p>
          )}
          {list.isError && (
            <p role="alert" className="px-2 py-1.5 text-sm text-red-700">
              {list.error.message}
            </p>
          )}
          {list.isSuccess && (
            <ul className="max-h-72 overflow-y-auto">
              <li
                aria-current="true"
                className="flex items-center justify-between gap-2 truncate rounded-md px-2 py-1.5 text-sm font-medium text-slate-900"
              >
                <span className="truncate">{organizationName}</span>
                <span className="text-xs font-normal text-slate-500">Current</span>
              </li>
              {others.map((org) => (
                <li key={org.id}>
                  <button
                    type="button"
                    disabled={busy}
                    aria-busy={leavingFor === org.id || undefined}
                    onClick={() => switching.mutate(org.id)}
                    className="flex w-full flex-col rounded-md px-2 py-1.5 text-left hover:bg-slate-100 focus-visible:bg-slate-100 focus-visible:outline-none disabled:cursor-wait disabled:opacity-60"
                  >
                    <span className="truncate text-sm text-slate-800">
                      {leavingFor === org.id ? `Switching to ${org.name}…` : org.name}
                    </span>
                    <span className="truncate text-xs text-slate-500">{org.slug}</span>
                  </button>
                </li>
              ))}
              {others.length === 0 && (
                <li className="px-2 py-1.5 text-xs text-slate-500">No other organizations yet.</li>
              )}
            </ul>
          )}
          {switching.isError && (
            <p role="alert" className="px-2 py-1.5 text-sm text-red-700">
              {switching.error.message}
            </p>
          )}
          <div className="mt-1 border-t border-slate-100 pt-1">
            <button
              type="button"
              disabled={busy}
              onClick={() => {
                setOpen(false);
                setCreating(true);
              }}
              className="w-full rounded-md px-2 py-1.5 text-left text-sm font-medium text-brand-700 hover:bg-brand-50 focus-visible:bg-brand-50 focus-visible:outline-none"
            >
              + New organization
            </button>
          </div>
        </section>
      )}
      {creating && (
        <NewOrganizationDialog
          onClose={() => {
            setCreating(false);
            trigger.current?.focus();
          }}
        />
      )}
    </div>
  );
}

/** Moves focus to the next (or previous) enabled button of the menu, wrapping around. */
function moveFocus(panel: HTMLElement | null, step: 1 | -1) {
  const items = Array.from(panel?.querySelectorAll<HTMLElement>('button:not([disabled])') ?? []);
  if (items.length === 0) return;
  const at = items.indexOf(document.activeElement as HTMLElement);
  items[(at + step + items.length) % items.length]?.focus();
}
