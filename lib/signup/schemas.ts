import { z } from 'zod';
import { newPasswordSchema } from '@/lib/auth/password-policy';
import { slugSchema } from '@/lib/tenant/slugs';
import { NAME_MAX_LENGTH, UNSAFE_NAME_CHARACTERS } from '@/lib/text/names';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'Use at most 254 characters.')
  .email('Enter an email address such as you@company.com.');

/**
 * Names chosen at sign-up travel in the verification mail to an address nobody has confirmed yet: one short
 * line (lib/text/names), and no URLs, which mail clients turn into links.
 */
function displayName(required: { min: number; message: string }) {
  return z
    .string()
    .trim()
    .min(required.min, required.message)
    .max(NAME_MAX_LENGTH, `Use at most ${NAME_MAX_LENGTH} characters.`)
    .refine(
      (v) => !UNSAFE_NAME_CHARACTERS.test(v),
      'Use a single line of text, without control characters.',
    )
    .refine((v) => !v.includes('://'), 'Leave out web addresses.');
}

/** An organization's name, at sign-up and in its settings. */
export const organizationNameSchema = displayName({
  min: 2,
  message: 'Use at least 2 characters.',
});
/** A person's name, at sign-up and on their account page. */
export const personNameSchema = displayName({ min: 1, message: 'Tell us your name.' });

export const signupSchema = z.object({
  organizationName: organizationNameSchema,
  slug: slugSchema,
  name: personNameSchema,
  email: emailSchema,
  password: newPasswordSchema,
});

export type SignupInput = z.output<typeof signupSchema>;
