import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import {
  confirmEmailChangeMessage,
  type MailMessage,
  passwordChangedMessage,
  quote,
  resetPasswordMessage,
  verifyEmailMessage,
} from '@/lib/mail/templates';
import { signupSchema } from '@/lib/signup/schemas';

const signup = {
  organizationName: 'Acme',
  slug: 'acme',
  name: 'Ada',
  email: 'ada@example.com',
  password: 'violet-harbor-42',
};

/** The field errors sign-up answers with, as the form shows them. */
function fieldErrors(input: Partial<typeof signup>) {
  const result = signupSchema.safeParse({ ...signup, ...input });
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path[0], i.message]));
}

/** The message as nodemailer puts it on the wire, the way lib/mail/transport.ts hands it over. */
async function onTheWire(message: MailMessage) {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const info = await transport.sendMail({ from: 'Tenantry <no-reply@example.com>', ...message });
  return (info.message as Buffer).toString('utf8');
}

describe('names chosen at sign-up', () => {
  it('keep markup as text: the same characters come back', () => {
    expect(fieldErrors({ organizationName: '<b>x</b>', name: '<b>x</b>' })).toEqual({});
    expect(signupSchema.parse({ ...signup, name: ' <b>x</b> ' }).name).toBe('<b>x</b>');
  });

  it('are refused over 60 characters with a field error, never cut short', () => {
    expect(fieldErrors({ organizationName: 'o'.repeat(60), name: 'n'.repeat(60) })).toEqual({});
    expect(fieldErrors({ organizationName: 'o'.repeat(61), name: 'n'.repeat(61) })).toEqual({
      organizationName: 'Use at most 60 characters.',
      name: 'Use at most 60 characters.',
    });
  });

  it('are refused with line breaks, control characters or bidirectional overrides', () => {
    for (const name of [
      'Ada\nClick the link',
      'Ada\r\nx',
      'Ada\tx',
      'Ada\u2028x',
      'evil\u202Egnp.exe',
    ]) {
      expect({ name, errors: fieldErrors({ name, organizationName: name }) }).toEqual({
        name,
        errors: {
          name: 'Use a single line of text, without control characters.',
          organizationName: 'Use a single line of text, without control characters.',
        },
      });
    }
    expect(fieldErrors({ name: 'Zoë O’Brien-Łukasz 👩‍💻' })).toEqual({});
  });

  it('are refused when they carry a web address', () => {
    expect(fieldErrors({ organizationName: 'Log in at https://evil.example' })).toEqual({
      organizationName: 'Leave out web addresses.',
    });
  });
});

describe('mail that quotes user-chosen names', () => {
  const verification = verifyEmailMessage('victim@example.com', {
    name: '<b>x</b>',
    organization: '<a href="https://evil.example">Acme</a>',
    url: 'http://acme.localhost:3000/verify-email?token=t',
  });

  it('goes to an unconfirmed address as plain text only, the names as typed', async () => {
    expect(verification.html).toBeUndefined();
    expect(verification.text).toContain('Hi <b>x</b>,');
    expect(verification.text).toContain(
      'for the organization “<a href="https://evil.example">Acme</a>”',
    );
    const wire = await onTheWire(verification);
    expect(wire).toMatch(/^Content-Type: text\/plain/m);
    expect(wire).not.toMatch(/text\/html/);

    const change = confirmEmailChangeMessage('new@example.com', {
      name: '<b>x</b>',
      url: 'http://acme.localhost:3000/confirm-email-change?token=t',
    });
    expect(change.html).toBeUndefined();
    expect(await onTheWire(change)).not.toMatch(/text\/html/);
  });

  it('escapes them wherever an HTML part remains', async () => {
    const organization = '<img src=x onerror=alert(1)> & "Co"';
    for (const message of [
      resetPasswordMessage('ada@example.com', { organization, url: 'http://a.localhost/r?t=1' }),
      passwordChangedMessage('ada@example.com', { organization, url: 'http://a.localhost/login' }),
    ]) {
      expect(message.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;');
      expect(message.html).not.toContain('<img');
      expect(await onTheWire(message)).toMatch(/text\/html/);
    }
  });

  it('holds names stored before these rules to one line of 60 characters', () => {
    const old = `Acme\n\nYour account is suspended.\u2028Call +1 555 0100 \u202Etxt.exe ${'x'.repeat(60)}`;
    const quoted = quote(old);
    expect(quoted).not.toMatch(/[\n\u2028\u202E]/);
    expect(Array.from(quoted)).toHaveLength(60);
    expect(quoted.endsWith('…')).toBe(true);
    expect(quote('  Acme   Corp ')).toBe('Acme Corp');
    const message = verifyEmailMessage('a@example.com', { name: old, organization: old, url: 'u' });
    expect(message.text.split('\n\n')[0]).toBe(`Hi ${quoted},`);
  });
});
