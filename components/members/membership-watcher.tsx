'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { useRealtimeClient } from '@/components/realtime/realtime-provider';
import { useTenantEvents } from '@/components/realtime/use-tenant-events';

/** pusher-js reports a connection the server closed with 4009 (unauthorized) this way, and does not retry. */
const CLOSED_AS_UNAUTHORIZED = 4009;

type ConnectionError = { error?: { data?: { code?: number } }; data?: { code?: number } };

/**
 * Re-renders the page from the server when the viewer's own membership changes, so what the page shows
 * follows their permissions without a reload (the board's "Add a task", a settings section): on
 * `member.changed` about them, and when the server drops their realtime connection (deactivated, removed,
 * signed out elsewhere, or told to set up two-factor sign-in), after which the server's answer is the sign-in
 * page or the set-up page.
 *
 * The tenant shell renders it on every signed-in page, from the member the page has already checked
 * (`ShellMember.watch`), so it arrives with the shell. It must not stream in behind a Suspense boundary of
 * its own, as it once did: a router refresh (`router.refresh()`, an action's re-rendered page) whose payload
 * held that streamed part sometimes never reached the screen, and every later refresh stayed stuck behind it
 * until something else on the page re-rendered. React 19.2 drops the wake-up of a transition suspended on an
 * already-visible boundary when the part it waits for arrives while the render is paused (the Flight chunk
 * then resolves inside React's own `then()`, during the render, where the wake-up is ignored). Keep
 * signed-in pages free of Suspense boundaries around server-streamed content
 * (tests/unit/suspense-boundaries.test.ts).
 */
export function MembershipWatcher({ tenantId, userId }: { tenantId: string; userId: string }) {
  const router = useRouter();
  const [ended, setEnded] = useState(false);
  // Once the page is on its way to the sign-in page, nothing else may send it elsewhere: the server drops the
  // connection (4009) right after the event, and a refresh then would race the navigation and slow it down.
  const leaving = useRef(false);
  useTenantEvents(tenantId, (name, data) => {
    if (name !== 'member.changed' || data.userId !== userId || leaving.current) return;
    // No longer a member here: every session of theirs in this organization has ended, so the sign-in page
    // is what any request would answer. The page stops showing the organization's data at once, before the
    // navigation (which a busy browser or server may take a while to finish).
    if (data.status !== 'active') {
      leaving.current = true;
      setEnded(true);
      window.location.assign('/login');
    } else router.refresh();
  });
  const client = useRealtimeClient();
  useEffect(() => {
    if (!client) return;
    const onError = (e: ConnectionError) => {
      const code = e?.error?.data?.code ?? e?.data?.code;
      if (code === CLOSED_AS_UNAUTHORIZED && !leaving.current) router.refresh();
    };
    client.connection.bind('error', onError);
    return () => {
      client.connection.unbind('error', onError);
    };
  }, [client, router]);
  if (!ended) return null;
  return (
    <div
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="access-ended-title"
      className="fixed inset-0 z-50 flex items-center justify-center bg-white/95 px-6 backdrop-blur-sm"
    >
      <div className="max-w-sm text-center">
        <h2 id="access-ended-title" className="text-lg font-semibold text-slate-900">
          Your access to this organization has ended
        </h2>
        <p className="mt-2 text-sm text-slate-600">
          An owner or admin changed your membership. Taking you to the sign-in page…
        </p>
      </div>
    </div>
  );
}
