import Link from 'next/link';
import { Card, Logo } from '@/components/ui/card';
import { getEnv } from '@/lib/config/env';
import { rootOrigin } from '@/lib/tenant/host';

export default function TenantNotFound() {
  const env = getEnv();
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4">
      <div className="mb-8">
        <Logo />
      </div>
      <Card className="w-full max-w-md p-8 text-center">
        <h1 className="text-xl font-semibold text-slate-900">No organization at this address</h1>
        <p className="mt-2 text-sm text-slate-600">
          Check the address for typos, or find your organization from the main site.
        </p>
        <div className="mt-6 flex justify-center gap-3">
          <Link
            href={`${rootOrigin(env.rootDomain, env.protocol)}/login`}
            className="rounded-md bg-brand-600 px-3.5 py-2 text-sm font-semibold text-white hover:bg-brand-700"
          >
            Find my organization
          </Link>
          <Link
            href={`${rootOrigin(env.rootDomain, env.protocol)}/`}
            className="rounded-md px-3.5 py-2 text-sm font-semibold text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
          >
            Go to Tenantry
          </Link>
        </div>
      </Card>
    </main>
  );
}
