'use client';

import { type ButtonHTMLAttributes, useSyncExternalStore } from 'react';

const variants = {
  primary:
    'bg-brand-600 text-white hover:bg-brand-700 focus-visible:outline-brand-600 disabled:bg-brand-600/60',
  secondary:
    'bg-white text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50 focus-visible:outline-slate-400',
  danger: 'bg-white text-red-700 ring-1 ring-red-200 hover:bg-red-50 focus-visible:outline-red-600',
  ghost: 'text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-slate-400',
} as const;

const noSubscription = () => () => {};

/** False while the server renders and React hydrates the page, true once its handlers are attached. */
function useHydrated() {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/**
 * A submit button stays disabled until the page is hydrated. Most forms here submit through script (JSON
 * routes, `useActionForm`); clicked or Enter-ed any earlier, such a form submits itself natively, as a GET of
 * the same page with every field, the password included, in the URL. Browser tests wait for it too.
 */
export function Button({
  variant = 'primary',
  pending = false,
  className = '',
  children,
  disabled,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: keyof typeof variants;
  pending?: boolean;
}) {
  const hydrated = useHydrated();
  const submits = props.type !== 'button' && props.type !== 'reset';
  return (
    <button
      {...props}
      disabled={disabled || pending || (submits && !hydrated)}
      aria-busy={pending || undefined}
      className={`inline-flex items-center justify-center gap-2 rounded-md px-3.5 py-2 text-sm font-semibold shadow-sm transition focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed ${variants[variant]} ${className}`}
    >
      {pending && (
        <span
          aria-hidden
          className="size-3.5 animate-spin rounded-full border-2 border-current border-t-transparent"
        />
      )}
      {children}
    </button>
  );
}
