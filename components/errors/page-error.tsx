'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Card, CenteredPage } from '@/components/ui/card';
import { UNAVAILABLE } from '@/lib/errors/unavailable';
import { fetchServerStatus, type ServerStatus } from './server-status';

const POLL_MS = UNAVAILABLE.retryAfterSeconds! * 1000;

/**
 * What a page that failed to render shows. While the server says it cannot serve (the database is
 * unreachable), the same "temporarily unavailable" state as the server's own 503 page, which asks again every
 * few seconds and renders the page again by itself once the server is back; otherwise a generic error with a
 * button to try again. Production builds hide the error's message, so the server is asked, not the error.
 */
export function PageError({ reset }: { reset: () => void }) {
  const router = useRouter();
  const [status, setStatus] = useState<ServerStatus | 'checking'>('checking');
  const [retrying, startRetry] = useTransition();

  const retry = useCallback(
    () =>
      startRetry(() => {
        router.refresh();
        reset();
      }),
    [router, reset],
  );

  useEffect(() => {
    let active = true;
    let wasUnavailable = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async () => {
      const next = await fetchServerStatus();
      if (!active) return;
      // Back after an outage: render the page again without waiting for a click.
      if (wasUnavailable && next === 'up') return retry();
      wasUnavailable = next === 'unavailable';
      setStatus(next);
      if (wasUnavailable) timer = setTimeout(check, POLL_MS);
    };
    void check();
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [retry]);

  if (status === 'checking') return null;
  const unavailable = status === 'unavailable';
  return (
    <CenteredPage>
      <Card className="w-full max-w-md p-8 text-center">
        <h1 className="text-xl font-semibold text-slate-900">
          {unavailable ? 'Temporarily unavailable' : 'Something went wrong'}
        </h1>
        <p className="mt-2 text-sm text-slate-600">
          {unavailable
            ? 'We are having trouble reaching our database. Nothing you saved is lost.'
            : 'This page could not be shown. Please try again.'}
        </p>
        {unavailable && (
          <p role="status" className="mt-4 inline-flex items-center gap-2 text-sm text-slate-500">
            <span
              aria-hidden
              className="size-3.5 animate-spin rounded-full border-2 border-brand-100 border-t-brand-600 motion-reduce:animate-none"
            />
            This page reloads by itself as soon as we are back.
          </p>
        )}
        <div className="mt-6 flex justify-center">
          <Button type="button" onClick={retry} pending={retrying}>
            {unavailable ? 'Try again now' : 'Try again'}
          </Button>
        </div>
      </Card>
    </CenteredPage>
  );
}
