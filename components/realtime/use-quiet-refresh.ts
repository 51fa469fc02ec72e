'use client';

import { useIsMutating } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';

/** How long a page waits after the first event of a burst (and after this tab's own change) to refresh. */
const QUIET_MS = 200;

/**
 * A server-rendered page that follows realtime events re-renders with `router.refresh()`: once per burst of
 * events (a send of 50 invitations is 50 events), and never while this tab has a change of its own in
 * flight. That change's action answers with the page re-rendered (`rerenders` in tenantAction); a refresh
 * started while that answer was still coming in competed with it, and the page sometimes kept showing the
 * old list. What arrived meanwhile still refreshes once the change is done: it may be someone else's.
 *
 * Returns `stale()`, for the page's event handlers to call.
 */
export function useQuietRefresh() {
  const router = useRouter();
  const changing = useIsMutating() > 0;
  const [stale, setStale] = useState(false);
  useEffect(() => {
    if (!stale || changing) return;
    const timer = setTimeout(() => {
      setStale(false);
      router.refresh();
    }, QUIET_MS);
    return () => clearTimeout(timer);
  }, [stale, changing, router]);
  return useCallback(() => setStale(true), []);
}
