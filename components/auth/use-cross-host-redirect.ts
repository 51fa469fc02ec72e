'use client';

import { useEffect } from 'react';
import type { ActionResult } from '@/lib/actions/result';

/** Follows an action's `redirectTo` to another host with a plain navigation (it is another origin). */
export function useCrossHostRedirect(state: ActionResult<{ redirectTo: string }> | null) {
  const target = state?.ok ? state.data.redirectTo : null;
  useEffect(() => {
    if (target) window.location.assign(target);
  }, [target]);
  return target !== null;
}
