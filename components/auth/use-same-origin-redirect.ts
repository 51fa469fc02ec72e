'use client';

import { useEffect } from 'react';
import { safeRedirectPath } from '@/lib/auth/safe-redirect';

/**
 * Follows a sign-in answer's `redirectTo` with a full navigation, so every server component renders with the
 * new session cookie. The server already sends a normalised path of this host; the browser checks it again
 * rather than go wherever an answer says.
 */
export function useSameOriginRedirect(redirectTo: string | null) {
  useEffect(() => {
    if (redirectTo === null) return;
    window.location.assign(safeRedirectPath(redirectTo, window.location.origin));
  }, [redirectTo]);
}
