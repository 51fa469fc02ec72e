import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

// Every page depends on the request's host (root or which tenant), so nothing is prerendered at build time.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'Tenantry', template: '%s · Tenantry' },
  description: 'The multi-tenant workspace for teams that care where their data lives.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
