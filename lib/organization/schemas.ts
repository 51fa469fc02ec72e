import { z } from 'zod';
import { organizationNameSchema } from '@/lib/signup/schemas';
import { slugSchema } from '@/lib/tenant/slugs';
import { versionSchema } from '@/lib/validation/version';

export const SESSION_IDLE_DAYS = { min: 1, max: 30 } as const;
export const MAX_ALLOWED_DOMAINS = 20;
/** What tenants.audit_retention_days may hold, by the name the form gives it (null keeps events forever). */
export const AUDIT_RETENTION = { '90': 90, '365': 365, forever: null } as const;
export type AuditRetentionChoice = keyof typeof AUDIT_RETENTION;
export const INVITABLE_DEFAULT_ROLES = ['admin', 'member', 'viewer'] as const;

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Allowed email domains as the form sends them (one per line, or separated by commas or spaces) or as a
 * list: lowercased, an `@` in front forgiven, duplicates dropped, each a plain domain name.
 */
export const allowedDomainsSchema = z
  .union([z.string().max(5000, 'This list is too long.'), z.array(z.string().max(253)).max(100)])
  .transform((v) => (Array.isArray(v) ? v : v.split(/[\s,;]+/)))
  .transform((list) => [
    ...new Set(list.map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter(Boolean)),
  ])
  .pipe(
    z
      .array(z.string().regex(DOMAIN, 'Enter domains such as example.com, one per line.'), {
        message: 'Enter domains such as example.com, one per line.',
      })
      .max(MAX_ALLOWED_DOMAINS, `List at most ${MAX_ALLOWED_DOMAINS} domains.`),
  );

export const accentColorSchema = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => v === '' || /^#[0-9a-f]{6}$/.test(v), 'Use a colour such as #4f46e5.')
  .transform((v) => (v === '' ? null : v));

/**
 * One form section or another: each sends the fields it shows, with the version of the settings it was
 * showing, and only those change.
 */
export const organizationSettingsSchema = z
  .object({
    version: versionSchema,
    name: organizationNameSchema.optional(),
    accentColor: accentColorSchema.optional(),
    defaultRole: z
      .enum(INVITABLE_DEFAULT_ROLES, { message: 'Choose admin, member or viewer.' })
      .optional(),
    allowedEmailDomains: allowedDomainsSchema.optional(),
    sessionIdleDays: z.coerce
      .number({ message: 'Enter a number of days.' })
      .int('Enter a whole number of days.')
      .min(SESSION_IDLE_DAYS.min, `Use ${SESSION_IDLE_DAYS.min} to ${SESSION_IDLE_DAYS.max} days.`)
      .max(SESSION_IDLE_DAYS.max, `Use ${SESSION_IDLE_DAYS.min} to ${SESSION_IDLE_DAYS.max} days.`)
      .optional(),
    auditRetention: z
      .enum(['90', '365', 'forever'], { message: 'Choose 90 days, 1 year or forever.' })
      .optional(),
  })
  .refine(
    (v) =>
      Object.keys(v).some((key) => key !== 'version' && v[key as keyof typeof v] !== undefined),
    {
      message: 'There is nothing to save.',
      path: ['form'],
    },
  );

export type OrganizationSettingsInput = z.output<typeof organizationSettingsSchema>;

export const changeSubdomainSchema = z.object({ version: versionSchema, slug: slugSchema });

export const LOGO_MAX_BYTES = 256 * 1024;

export const uploadLogoSchema = z.object({
  version: versionSchema,
  logo: z.instanceof(File, { message: 'Choose an image file.' }),
});

export const removeLogoSchema = z.object({ version: versionSchema });
