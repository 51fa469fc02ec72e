import { z } from 'zod';
import { membershipStatuses, roles } from '@/db/schema/memberships';
import { versionSchema } from '@/lib/validation/version';

const userId = z.string().uuid('This member does not exist.');

/** Every change to someone else's membership names them and the version of it the admin saw. */
const target = { userId, version: versionSchema };

export const changeRoleSchema = z.object({
  ...target,
  role: z.enum(roles, { message: 'Choose owner, admin, member or viewer.' }),
});

export const memberTargetSchema = z.object(target);

export const transferOwnershipSchema = z.object({
  ...target,
  password: z.string().min(1, 'Enter your current password.').max(256),
  /** Unless asked otherwise, the owner who hands the organization over becomes an admin. */
  keepOwnership: z
    .union([z.boolean(), z.literal('on'), z.literal('')])
    .optional()
    .transform((v) => v === true || v === 'on'),
});

export const leaveSchema = z.object({});

export const memberSorts = ['name', 'role', 'joined', 'last_active'] as const;

/**
 * The members table's URL parameters. A value the form never sends (an unknown sort or filter) falls back to
 * the default rather than failing the page; a cursor that does not decode is refused (lib/pagination).
 */
export const memberListParamsSchema = z.object({
  q: z.string().trim().max(100).catch('').default(''),
  role: z.enum(roles).nullable().catch(null).default(null),
  status: z.enum(membershipStatuses).nullable().catch(null).default(null),
  sort: z.enum(memberSorts).catch('name').default('name'),
  direction: z.enum(['asc', 'desc']).catch('asc').default('asc'),
  cursor: z.string().max(500).nullable().catch(null).default(null),
});

export type MemberListParams = z.output<typeof memberListParamsSchema>;
