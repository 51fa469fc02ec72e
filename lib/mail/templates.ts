/**
 * Plain, clear messages. Links arrive fully built from configuration (the root domain and the tenant's
 * slug), never from a request's Host header. Text that users chose (names, organization names) is quoted
 * through `quote`, and mail that carries it to an address nobody has confirmed yet is text only: an HTML
 * part there would let a stranger's sign-up dress their words up in our layout.
 */

import { NAME_MAX_LENGTH, UNSAFE_NAME_CHARACTERS } from '@/lib/text/names';

export type MailMessage = { to: string; subject: string; text: string; html?: string };

/** The one HTML escape for every value that reaches an HTML part. */
export function escapeHtml(s: string) {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/**
 * A user-chosen name as one short line, so that names stored before sign-up refused them (line breaks,
 * control or bidirectional characters, up to 100 characters) cannot lay out instructions in a message.
 */
export function quote(name: string) {
  const line = name
    .replace(new RegExp(UNSAFE_NAME_CHARACTERS.source, 'gu'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = Array.from(line);
  return chars.length > NAME_MAX_LENGTH ? `${chars.slice(0, NAME_MAX_LENGTH - 1).join('')}…` : line;
}

type Action = { label: string; url: string };

function text(paragraphs: string[], action?: Action) {
  return [...paragraphs, ...(action ? [`${action.label}: ${action.url}`] : [])].join('\n\n');
}

function layout(paragraphs: string[], action?: Action) {
  const html = `<!doctype html><html><body style="margin:0;background:#f8fafc;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#0f172a">
<div style="max-width:520px;margin:32px auto;background:#fff;border:1px solid #e2e8f0;border-radius:12px;padding:32px">
<p style="margin:0 0 24px;font-weight:600">Tenantry</p>
${paragraphs.map((p) => `<p style="margin:0 0 16px;line-height:1.5">${escapeHtml(p)}</p>`).join('\n')}
${action ? `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="background:#4f46e5;color:#fff;text-decoration:none;padding:10px 16px;border-radius:6px;font-weight:600">${escapeHtml(action.label)}</a></p><p style="margin:0;font-size:13px;color:#64748b;word-break:break-all">Or open this link: ${escapeHtml(action.url)}</p>` : ''}
</div></body></html>`;
  return { html, text: text(paragraphs, action) };
}

/** For mail to an address nobody has confirmed yet that quotes user-chosen text: no HTML part at all. */
function textOnly(paragraphs: string[], action?: Action) {
  return { text: text(paragraphs, action) };
}

export function verifyEmailMessage(
  to: string,
  p: { name: string; organization: string; url: string },
): MailMessage {
  return {
    to,
    subject: 'Confirm your email address',
    ...textOnly(
      [
        `Hi ${quote(p.name)},`,
        `Please confirm that ${to} is your email address for the organization “${quote(p.organization)}” on Tenantry. The link works once and expires in 24 hours.`,
        'If you did not sign up, you can ignore this message.',
      ],
      { label: 'Confirm email address', url: p.url },
    ),
  };
}

export function resetPasswordMessage(
  to: string,
  p: { organization: string; url: string },
): MailMessage {
  return {
    to,
    subject: 'Reset your password',
    ...layout(
      [
        `Someone asked to reset the password of ${to} at “${quote(p.organization)}”.`,
        'If it was you, choose a new password below. The link works once and expires in 1 hour. If it was not you, ignore this message: your password stays as it is.',
      ],
      { label: 'Choose a new password', url: p.url },
    ),
  };
}

export function passwordChangedMessage(
  to: string,
  p: { organization: string; url: string },
): MailMessage {
  return {
    to,
    subject: 'Your password was changed',
    ...layout(
      [
        `The password of ${to} was just reset from “${quote(p.organization)}”, and every signed-in session was signed out.`,
        'If you did not do this, reset your password again right away and tell your organization’s admin.',
      ],
      { label: 'Sign in', url: p.url },
    ),
  };
}

export function accountLockedMessage(
  to: string,
  p: { organization: string; url: string },
): MailMessage {
  return {
    to,
    subject: 'Your account was locked after failed sign-ins',
    ...layout(
      [
        `There were 5 failed attempts to sign in to “${quote(p.organization)}” as ${to}, so we locked the account on that address for 15 minutes.`,
        'If it was you, unlock it now with the link below (it works once, within an hour). If it was not, consider changing your password.',
      ],
      { label: 'Unlock my account', url: p.url },
    ),
  };
}

export function confirmEmailChangeMessage(
  to: string,
  p: { name: string; url: string },
): MailMessage {
  return {
    to,
    subject: 'Confirm your new email address',
    ...textOnly(
      [
        `Hi ${quote(p.name)},`,
        `Please confirm that ${to} should become the email address of your Tenantry account. The link works once and expires in 24 hours.`,
        'If you did not ask for this, ignore this message: nothing changes.',
      ],
      { label: 'Confirm new email address', url: p.url },
    ),
  };
}

export function emailChangedNotice(to: string, p: { newEmail: string; url: string }): MailMessage {
  return {
    to,
    subject: 'Your email address was changed',
    ...layout(
      [
        `The email address of your Tenantry account was changed from ${to} to ${p.newEmail}. Sign-in now uses the new address.`,
        'If you did not do this, reset your password right away and tell your organization’s admin.',
      ],
      { label: 'Sign in', url: p.url },
    ),
  };
}

const ROLE_NAMES = { owner: 'an owner', admin: 'an admin', member: 'a member', viewer: 'a viewer' };

/**
 * To an address nobody has confirmed, quoting names that others chose (the organization's, the inviter's):
 * text only, like the verification mail, and each name through `quote`.
 */
export function invitationMessage(
  to: string,
  p: {
    organization: string;
    inviter: string;
    role: keyof typeof ROLE_NAMES;
    url: string;
    expiresInDays: number;
  },
): MailMessage {
  return {
    to,
    subject: `You are invited to join ${quote(p.organization)} on Tenantry`,
    ...textOnly(
      [
        'Hello,',
        `${quote(p.inviter)} invited ${to} to join the organization “${quote(p.organization)}” on Tenantry as ${ROLE_NAMES[p.role]}.`,
        `Open the link below to accept: you sign in with your account, or choose a name and password if you have none yet. The link works once and expires in ${p.expiresInDays} days.`,
        'If you did not expect this invitation, you can ignore this message.',
      ],
      { label: 'Accept the invitation', url: p.url },
    ),
  };
}

/** The link that proves an address before it joins an organization by its domain (text only, as above). */
export function joinLinkMessage(to: string, p: { organization: string; url: string }): MailMessage {
  return {
    to,
    subject: `Join ${quote(p.organization)} on Tenantry`,
    ...textOnly(
      [
        'Hello,',
        `Someone asked to join the organization “${quote(p.organization)}” on Tenantry with ${to}. Open the link below to confirm that this address is yours and join. The link works once and expires in 1 hour.`,
        'If it was not you, ignore this message: nothing happens without the link.',
      ],
      { label: 'Confirm and join', url: p.url },
    ),
  };
}

/**
 * "Find my organizations": one message per organization, each queued with that organization's own mail (see
 * lib/my-organizations/find.ts). To an address nobody has confirmed yet, text only, like every message that
 * quotes a name someone chose.
 */
export function organizationSignInMessage(
  to: string,
  p: { organization: string; url: string; addressConfirmed: boolean },
): MailMessage {
  const paragraphs = [
    `Someone asked which Tenantry organizations ${to} belongs to. It is a member of “${quote(p.organization)}”.`,
    'If it belongs to others too, each of them sends a message like this one. If you did not ask, you can ignore it: nothing changes.',
  ];
  const action = { label: `Sign in to ${quote(p.organization)}`, url: p.url };
  return {
    to,
    subject: `Your organization on Tenantry: ${quote(p.organization)}`,
    ...(p.addressConfirmed ? layout(paragraphs, action) : textOnly(paragraphs, action)),
  };
}
