import Link from 'next/link';
import { NotFoundPage, primaryLinkClass, secondaryLinkClass } from '@/components/ui/not-found-page';
import { getEnv } from '@/lib/config/env';
import { rootOrigin } from '@/lib/tenant/host';

export default function TenantNotFound() {
  const env = getEnv();
  const root = rootOrigin(env.rootDomain, env.protocol);
  return (
    <NotFoundPage
      title="No organization at this address"
      message="Check the address for typos, or find your organization from the main site."
    >
      <Link href={`${root}/login`} className={primaryLinkClass}>
        Find my organization
      </Link>
      <Link href={`${root}/`} className={secondaryLinkClass}>
        Go to Tenantry
      </Link>
    </NotFoundPage>
  );
}
