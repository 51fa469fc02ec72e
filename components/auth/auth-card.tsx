import type { ReactNode } from 'react';
import { Card, CenteredPage } from '@/components/ui/card';

/** The centred card every sign-up and sign-in page uses. */
export function AuthCard({
  title,
  subtitle,
  children,
  footer,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <CenteredPage>
      <Card className="w-full max-w-md p-8">
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {subtitle && <p className="mt-1.5 text-sm text-slate-600">{subtitle}</p>}
        <div className="mt-6">{children}</div>
      </Card>
      {footer && <div className="mt-6 text-sm text-slate-600">{footer}</div>}
    </CenteredPage>
  );
}
