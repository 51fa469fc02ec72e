'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

/** `match`: the path prefix that marks the link current, when it is not `href` itself (Settings' sections). */
export function NavLink({
  href,
  match = href,
  children,
}: {
  href: string;
  match?: string;
  children: ReactNode;
}) {
  // On tenant hosts the browser's path is the public one (the internal rewrite is invisible here).
  const pathname = usePathname();
  const active = match === '/' ? pathname === '/' : pathname.startsWith(match);
  return (
    <Link
      href={href}
      aria-current={active ? 'page' : undefined}
      className={`rounded-md px-2 py-1.5 text-sm font-medium ${active ? 'bg-brand-50 text-brand-700' : 'text-slate-700 hover:bg-slate-100'}`}
    >
      {children}
    </Link>
  );
}
