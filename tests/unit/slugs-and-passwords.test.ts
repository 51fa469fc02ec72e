import { describe, expect, it } from 'vitest';
import { newPasswordSchema } from '@/lib/auth/password-policy';
import { signupSchema } from '@/lib/signup/schemas';
import { slugSchema, suggestSlug } from '@/lib/tenant/slugs';

const message = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.error?.issues[0]?.message;

describe('subdomain rules', () => {
  it('accepts 3 to 63 characters of a-z, 0-9 and single inner hyphens, lowercased', () => {
    expect(slugSchema.parse('acme')).toBe('acme');
    expect(slugSchema.parse('  ACME-corp-2 ')).toBe('acme-corp-2');
    expect(slugSchema.parse('a'.repeat(63))).toHaveLength(63);
  });

  it('refuses what cannot be a tenant subdomain, with a reason', () => {
    expect(message(slugSchema.safeParse('ab'))).toMatch(/at least 3/);
    expect(message(slugSchema.safeParse('a'.repeat(64)))).toMatch(/at most 63/);
    expect(message(slugSchema.safeParse('acme_corp'))).toMatch(
      /lowercase letters, digits and hyphens/,
    );
    expect(message(slugSchema.safeParse('-acme'))).toMatch(/start or end/);
    expect(message(slugSchema.safeParse('acme-'))).toMatch(/start or end/);
    expect(message(slugSchema.safeParse('ac--me'))).toMatch(/two hyphens/);
    expect(message(slugSchema.safeParse('www'))).toMatch(/reserved/);
    expect(message(slugSchema.safeParse('Dashboard'))).toMatch(/reserved/);
  });

  it('suggests a subdomain from the organization name', () => {
    expect(suggestSlug('Acme Corp.')).toBe('acme-corp');
    expect(suggestSlug('  Café  Müller & Söhne ')).toBe('cafe-muller-sohne');
    expect(suggestSlug('AB')).toBe('');
    expect(suggestSlug('x'.repeat(80))).toHaveLength(63);
  });
});

describe('password policy', () => {
  it('requires at least 12 characters', () => {
    expect(message(newPasswordSchema.safeParse('short-pass1'))).toMatch(/at least 12/);
    expect(newPasswordSchema.safeParse('violet-harbor-42').success).toBe(true);
  });

  it('refuses the most common passwords and trivial patterns, whatever the case', () => {
    for (const p of [
      'password1234',
      'Password1234',
      'qwertyuiop12',
      '123456789012',
      'aaaaaaaaaaaa',
      'abababababab',
      'abcdefghijkl',
    ]) {
      expect({ p, r: message(newPasswordSchema.safeParse(p)) }).toEqual({
        p,
        r: expect.stringMatching(/too common/),
      });
    }
  });
});

describe('sign-up input', () => {
  it('reports every field that is wrong at once', () => {
    const result = signupSchema.safeParse({
      organizationName: '',
      slug: 'a',
      name: '',
      email: 'nope',
      password: 'short',
    });
    expect(result.success).toBe(false);
    const fields = new Set(result.error!.issues.map((i) => i.path[0]));
    expect(fields).toEqual(new Set(['organizationName', 'slug', 'name', 'email', 'password']));
  });

  it('normalizes the email to lower case', () => {
    const result = signupSchema.parse({
      organizationName: 'Acme',
      slug: 'acme',
      name: 'Ada',
      email: ' Ada@Example.COM ',
      password: 'violet-harbor-42',
    });
    expect(result.email).toBe('ada@example.com');
  });
});
