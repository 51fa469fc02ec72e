import type { ReactNode } from 'react';

export function Card({ children, className = '' }: { children: ReactNode; className?: string }) {
  return (
    <div className={`rounded-xl bg-white shadow-sm ring-1 ring-slate-200 ${className}`}>
      {children}
    </div>
  );
}

export function Alert({
  children,
  tone = 'error',
}: {
  children: ReactNode;
  tone?: 'error' | 'info';
}) {
  const styles =
    tone === 'error'
      ? 'bg-red-50 text-red-800 ring-red-200'
      : 'bg-brand-50 text-brand-700 ring-brand-100';
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      className={`rounded-md px-3 py-2 text-sm ring-1 ${styles}`}
    >
      {children}
    </div>
  );
}

export function Logo() {
  return (
    <span className="inline-flex items-center gap-2 font-semibold tracking-tight text-slate-900">
      <span
        aria-hidden
        className="grid size-7 place-items-center rounded-md bg-brand-600 text-sm text-white"
      >
        T
      </span>
      Tenantry
    </span>
  );
}

/** A page that is one thing in the middle of the screen, under the logo: sign-in, sign-up, not found. */
export function CenteredPage({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="mb-8">
        <Logo />
      </div>
      {children}
    </main>
  );
}
