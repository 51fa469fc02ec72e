import { z } from 'zod';
import { type Role, roles } from '@/db/schema/memberships';
import { emailSchema } from '@/lib/signup/schemas';
import { versionSchema } from '@/lib/validation/version';
import { splitAddresses } from './addresses';

/** How many addresses one invitation form may carry. */
export const MAX_INVITATIONS_PER_REQUEST = 50;

const ROLE_MESSAGE = 'Choose owner, admin, member or viewer.';

/** Where a refusal about one invitee is shown: the row's own fields, or the one list's fields. */
export type InviteeFields = { email: string; role: string };

export type Invitee = { email: string; role: Role; fields: InviteeFields };

/** A field key of the rows form, as the action's field errors name it (`invitees.3.email`). */
export const inviteeField = (index: number, part: keyof InviteeFields) =>
  `invitees.${index}.${part}`;

const rawInvite = z.object({
  invitees: z
    .array(
      z.object({
        email: z.string().max(300, 'This address is too long.'),
        role: z.string().max(20),
      }),
      { message: 'Add the people to invite, each with a role.' },
    )
    .max(
      MAX_INVITATIONS_PER_REQUEST * 4,
      `Invite at most ${MAX_INVITATIONS_PER_REQUEST} addresses at once.`,
    )
    .optional(),
  emails: z
    .union([
      z.string().max(20_000, 'This list is too long.'),
      z.array(z.string().max(300)).max(200),
    ])
    .optional(),
  role: z.string().max(20).optional(),
});

type Candidate = { address: string; role: string; fields: InviteeFields };

/**
 * The two shapes a request may take, as candidates with the fields their refusals belong to: rows, each
 * with its own role (the form), or one list of addresses with one role for all (a convenience for scripts
 * and tests). From here on both are checked by the same code.
 */
function candidatesOf(raw: z.output<typeof rawInvite>): { list: string; candidates: Candidate[] } {
  if (raw.invitees !== undefined || raw.emails === undefined) {
    return {
      list: 'invitees',
      candidates: (raw.invitees ?? []).map((row, index) => ({
        address: row.email.trim(),
        role: row.role,
        fields: { email: inviteeField(index, 'email'), role: inviteeField(index, 'role') },
      })),
    };
  }
  return {
    list: 'emails',
    candidates: splitAddresses(raw.emails).map((address) => ({
      address,
      role: raw.role ?? '',
      fields: { email: 'emails', role: 'role' },
    })),
  };
}

const roleSchema = z.enum(roles);

/**
 * Who to invite, each with a role. Every refusal names the address it is about, on the field it concerns
 * (every problem at once, so a long list is fixed in one go), and a list with any problem invites nobody.
 * `list` is the field a refusal of the whole list belongs to.
 */
export const inviteSchema = rawInvite.transform((raw, ctx) => {
  const { list, candidates } = candidatesOf(raw);
  let refused = false;
  const refuse = (field: string, message: string) => {
    refused = true;
    ctx.addIssue({ code: 'custom', path: [field], message });
  };
  if (candidates.length === 0) {
    refuse(list, 'Enter at least one email address.');
    return z.NEVER;
  }
  if (candidates.length > MAX_INVITATIONS_PER_REQUEST) {
    refuse(
      list,
      `Invite at most ${MAX_INVITATIONS_PER_REQUEST} addresses at once; this list has ${candidates.length}.`,
    );
    return z.NEVER;
  }
  const seen = new Set<string>();
  const invitees: Invitee[] = [];
  for (const { address, role, fields } of candidates) {
    const email = emailSchema.safeParse(address);
    if (!email.success) {
      refuse(
        fields.email,
        address === ''
          ? 'Enter an email address, or remove this row.'
          : `“${address.slice(0, 80)}” is not a valid email address.`,
      );
    } else if (seen.has(email.data)) {
      refuse(fields.email, `${email.data} is in the list twice.`);
    } else {
      seen.add(email.data);
    }
    const parsedRole = roleSchema.safeParse(role);
    if (!parsedRole.success) refuse(fields.role, ROLE_MESSAGE);
    if (email.success && parsedRole.success) {
      invitees.push({ email: email.data, role: parsedRole.data, fields });
    }
  }
  return refused ? z.NEVER : { list, invitees };
});
export type InviteInput = z.output<typeof inviteSchema>;

export const invitationRefSchema = z.object({
  id: z.string().uuid('This invitation does not exist.'),
  version: versionSchema,
});
export type InvitationRef = z.output<typeof invitationRefSchema>;

const token = z.string().min(1, 'This link is incomplete.').max(100, 'This link is invalid.');

/**
 * Joining, by invitation or by an allowed domain: the password of the existing account (and its second factor
 * when it has one), or a name and a new password for a new one. Which of the two applies is only known once
 * the address's account is looked up, so the new account's rules are checked there (lib/invitations/joining).
 */
export const joinSchema = z.object({
  token,
  password: z.string().min(1, 'Enter a password.').max(256, 'Use at most 256 characters.'),
  name: z.string().max(300).optional(),
  confirm: z.string().max(256).optional(),
  code: z.string().trim().max(32, 'This code is too long.').optional(),
});
export type JoinInput = z.output<typeof joinSchema>;

export const joinRequestSchema = z.object({ email: emailSchema });
