import { z } from 'zod';
import { roles } from '@/db/schema/memberships';
import { emailSchema } from '@/lib/signup/schemas';
import { versionSchema } from '@/lib/validation/version';

/** How many addresses one invitation form may carry. */
export const MAX_INVITATIONS_PER_REQUEST = 50;

const ROLE_MESSAGE = 'Choose owner, admin, member or viewer.';

/**
 * Addresses separated by commas, semicolons, line breaks or spaces; `Name <a@b.c>` as pasted from a mail
 * client counts as its address.
 */
function splitAddresses(raw: string | string[]): string[] {
  const parts = Array.isArray(raw) ? raw : raw.split(/[,;\r\n]+/);
  return parts.flatMap((part) => {
    const named = /<([^<>]*)>\s*$/.exec(part);
    return named ? [named[1]!.trim()] : part.split(/\s+/).filter((word) => word.length > 0);
  });
}

/**
 * The list of addresses to invite, as typed in one field: every refusal names the address it is about, and
 * a list with any problem invites nobody.
 */
const emailList = z
  .union([z.string().max(20_000, 'This list is too long.'), z.array(z.string().max(300)).max(200)])
  .transform(splitAddresses)
  .transform((addresses, ctx) => {
    if (addresses.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'Enter at least one email address.' });
      return z.NEVER;
    }
    if (addresses.length > MAX_INVITATIONS_PER_REQUEST) {
      ctx.addIssue({
        code: 'custom',
        message: `Invite at most ${MAX_INVITATIONS_PER_REQUEST} addresses at once; this list has ${addresses.length}.`,
      });
      return z.NEVER;
    }
    const seen = new Set<string>();
    const emails: string[] = [];
    for (const address of addresses) {
      const parsed = emailSchema.safeParse(address);
      if (!parsed.success) {
        ctx.addIssue({
          code: 'custom',
          message: `“${address.slice(0, 80)}” is not a valid email address.`,
        });
        return z.NEVER;
      }
      if (seen.has(parsed.data)) {
        ctx.addIssue({ code: 'custom', message: `${parsed.data} is in the list twice.` });
        return z.NEVER;
      }
      seen.add(parsed.data);
      emails.push(parsed.data);
    }
    return emails;
  });

export const inviteSchema = z.object({
  emails: emailList,
  role: z.enum(roles, { message: ROLE_MESSAGE }),
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
