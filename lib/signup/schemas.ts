import { z } from 'zod';
import { newPasswordSchema } from '@/lib/auth/password-policy';
import { slugSchema } from '@/lib/tenant/slugs';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'Use at most 254 characters.')
  .email('Enter an email address such as you@company.com.');

export const signupSchema = z.object({
  organizationName: z
    .string()
    .trim()
    .min(2, 'Use at least 2 characters.')
    .max(100, 'Use at most 100 characters.'),
  slug: slugSchema,
  name: z.string().trim().min(1, 'Tell us your name.').max(100, 'Use at most 100 characters.'),
  email: emailSchema,
  password: newPasswordSchema,
});

export type SignupInput = z.output<typeof signupSchema>;
