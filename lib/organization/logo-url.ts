import type { Tenant } from '@/db/schema/tenants';

/** The logo's URL, versioned by when it last changed, so it can be cached for good (app/api/logo). */
export const logoUrlOf = (tenant: Pick<Tenant, 'logoUpdatedAt'>) =>
  tenant.logoUpdatedAt ? `/api/logo?v=${new Date(tenant.logoUpdatedAt).getTime()}` : null;
