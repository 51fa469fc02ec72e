import { z } from 'zod';
import { emailSchema, signupSchema } from '@/lib/signup/schemas';

export const switchOrganizationSchema = z.object({
  organizationId: z.string().uuid('You are not a member of this organization.'),
});

/** The sign-up form's organization fields, with the same rules; the session stands in for the rest. */
export const newOrganizationSchema = signupSchema.pick({ organizationName: true, slug: true });

export const findOrganizationsSchema = z.object({ email: emailSchema });

/** One of the signed-in user's organizations, as the switcher lists it. */
export type MyOrganization = { id: string; name: string; slug: string; current: boolean };
