'use client';

import { useEffect, useState } from 'react';
import { slugSchema } from '@/lib/tenant/slugs';

export type SlugStatus =
  | { state: 'idle' | 'checking' | 'error' }
  | { state: 'available' | 'unavailable'; message: string };

/** Validates the subdomain as it is typed, then asks the server (debounced) whether it is still free. */
export function useSlugAvailability(slug: string): SlugStatus {
  const [status, setStatus] = useState<SlugStatus>({ state: 'idle' });

  useEffect(() => {
    if (!slug) return setStatus({ state: 'idle' });
    const local = slugSchema.safeParse(slug);
    if (!local.success) {
      return setStatus({
        state: 'unavailable',
        message: local.error.issues[0]?.message ?? 'Invalid subdomain.',
      });
    }
    setStatus({ state: 'checking' });
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/slug-availability?slug=${encodeURIComponent(slug)}`, {
          signal: controller.signal,
        });
        const body = (await response.json()) as {
          available?: boolean;
          message?: string;
          error?: { message: string };
        };
        if (!response.ok) return setStatus({ state: 'error' });
        setStatus({
          state: body.available ? 'available' : 'unavailable',
          message: body.message ?? '',
        });
      } catch {
        if (!controller.signal.aborted) setStatus({ state: 'error' });
      }
    }, 250);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [slug]);

  return status;
}
