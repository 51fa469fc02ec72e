'use client';

import type { ActionResult } from '@/lib/actions/result';
import { safeTenantUrl } from '@/lib/auth/safe-redirect';

type Leaving = { redirectTo: string };

/**
 * An action whose success leaves for another host: a plain navigation (it is another origin), and only to an
 * organization host of this deployment; anything else goes back to the root page. The navigation starts the
 * moment the answer arrives, in the action itself, not after React has rendered the result and run an effect
 * (30–50 ms of a busy main thread on sign-up's way to the new dashboard).
 */
export function leavingForHost<T extends Leaving>(
  action: (data: FormData) => Promise<ActionResult<T>>,
): (data: FormData) => Promise<ActionResult<T>> {
  return async (data) => {
    const result = await action(data);
    if (result.ok)
      window.location.assign(safeTenantUrl(result.data.redirectTo, window.location.origin) ?? '/');
    return result;
  };
}

/** Whether such an action succeeded: the form stays busy while the browser leaves. */
export const isLeaving = (state: ActionResult<Leaving> | null) => state?.ok === true;
