import type { ReactNode } from 'react';
import { Card, CenteredPage } from './card';

export const primaryLinkClass =
  'rounded-md bg-brand-600 px-3.5 py-2 text-sm font-semibold text-white hover:bg-brand-700';
export const secondaryLinkClass =
  'rounded-md px-3.5 py-2 text-sm font-semibold text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50';

/** The frame of every "not found" page: what is missing, why it may be, and where to go instead. */
export function NotFoundPage({
  title,
  message,
  children,
}: {
  title: string;
  message: string;
  children: ReactNode;
}) {
  return (
    <CenteredPage>
      <Card className="w-full max-w-md p-8 text-center">
        <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
        <p className="mt-2 text-sm text-slate-600">{message}</p>
        <div className="mt-6 flex justify-center gap-3">{children}</div>
      </Card>
    </CenteredPage>
  );
}
