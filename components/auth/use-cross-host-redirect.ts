'use client';

import { useEffect } from 'react';
import type { ActionResult } from '@/lib/actions/result';
import { safeTenantUrl } from '@/lib/auth/safe-redirect';

/**
 * Follows an action's `redirectTo` to another host with a plain navigation (it is another origin), and only
 * to an organization host of this deployment; anything else goes back to the root page.
 */
export function useCrossHostRedirect(state: ActionResult<{ redirectTo: string }> | null) {
  const target = state?.ok ? state.data.redirectTo : null;
  useEffect(() => {
    if (target === null) return;
    window.location.assign(safeTenantUrl(target, window.location.origin) ?? '/');
  }, [target]);
  return target !== null;
}
