import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import { deliveredMail } from '../support/mail';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', async () => ({
  ...(await import('../support/fake-request')),
  signIn: async () => '/',
}));
request.ip = '198.18.7.1';

const signupRoute = await import('@/app/api/signup/route');

let platform: Sql;
beforeAll(() => {
  platform = connect(urls().platform, 2);
});
afterAll(() => platform.end());

async function signUp(input: { organizationName: string; name: string }) {
  const slug = `mail-${randomUUID().slice(0, 8)}`;
  const email = `${slug}@example.test`;
  const response = await signupRoute.POST(
    new Request('http://localhost:3000/api/signup', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...input, slug, email, password: 'violet-harbor-42' }),
    }),
  );
  // The worker's part: the mail was queued with the organization; delivered, it reaches the mailbox.
  const mail = await deliveredMail({ to: email });
  const tenants = await platform`select name from tenants where slug = ${slug}`;
  return { response, mail, tenants };
}

describe('the verification mail sent at sign-up', () => {
  it('carries markup in the names as plain text, with no HTML part', async () => {
    const { response, mail, tenants } = await signUp({
      organizationName: '<b>Acme</b>',
      name: '<b>x</b>',
    });
    expect(response.status).toBe(200);
    expect(tenants).toEqual([{ name: '<b>Acme</b>' }]);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ subject: 'Confirm your email address', html: '' });
    expect(mail[0]!.text).toContain('Hi <b>x</b>,');
    expect(mail[0]!.text).toContain('for the organization “<b>Acme</b>”');
  });

  it('is never sent for names over 60 characters: sign-up refuses them field by field', async () => {
    const { response, mail, tenants } = await signUp({
      organizationName: 'o'.repeat(61),
      name: 'n'.repeat(61),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        code: 'invalid',
        fieldErrors: {
          organizationName: 'Use at most 60 characters.',
          name: 'Use at most 60 characters.',
        },
      },
    });
    expect(tenants).toEqual([]);
    expect(mail).toEqual([]);
  });
});
