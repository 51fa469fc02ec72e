import { route } from '@/lib/http/route';
import { findMyOrganizations } from '@/lib/my-organizations/find';
import { findOrganizationsSchema } from '@/lib/my-organizations/schemas';

export const POST = route({ from: 'json', schema: findOrganizationsSchema }, findMyOrganizations);
