'use client';

import { PageError } from '@/components/errors/page-error';

/** A page that failed while rendering, most often because the database could not be reached. */
export default function ErrorPage({
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <PageError reset={reset} />;
}
