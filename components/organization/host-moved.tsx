'use client';

import { useEffect } from 'react';
import { Card, CenteredPage } from '@/components/ui/card';
import { primaryLinkClass } from '@/components/ui/not-found-page';

/**
 * A signed-in page load on an organization's former address. The browser goes on from here, by script,
 * rather than by a redirect: a navigation a page starts carries that page's Referer, the old address, by
 * which the new host knows the handoff came from this app and signs in without asking (a redirect would carry
 * whatever Referer the first request had, none for a bookmark, and the new host would ask to confirm).
 */
export function HostMoved({
  organization,
  newHost,
  url,
}: {
  organization: string;
  newHost: string;
  url: string;
}) {
  useEffect(() => {
    window.location.replace(url);
  }, [url]);
  return (
    <CenteredPage>
      <Card className="w-full max-w-md p-8 text-center">
        <h1 className="text-xl font-semibold text-slate-900">{organization} has a new address</h1>
        <p className="mt-2 text-sm text-slate-600">
          It is now {newHost}. Taking you there, still signed in…
        </p>
        <div className="mt-6 flex justify-center">
          <a href={url} className={primaryLinkClass}>
            Continue to {newHost}
          </a>
        </div>
      </Card>
    </CenteredPage>
  );
}
