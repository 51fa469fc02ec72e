import { serveLogo } from '@/lib/organization/logo';

/** The host organization's logo (public: the sign-in page shows it too). */
export const GET = serveLogo;
