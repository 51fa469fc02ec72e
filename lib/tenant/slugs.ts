import { z } from 'zod';

/** Host labels that name the platform itself; no organization can ever take one. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'www',
  'app',
  'api',
  'admin',
  'auth',
  'mail',
  'static',
  'assets',
  'status',
  'docs',
  'help',
  'support',
  'billing',
  'dashboard',
  'login',
  'signup',
  'console',
  'root',
  'system',
  'tenant',
  'tenants',
  'smtp',
  'ftp',
  'ws',
  'wss',
  'realtime',
  'cdn',
  'blog',
  'dev',
  'staging',
  'test',
  'localhost',
]);

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, 'Use at least 3 characters.')
  .max(63, 'Use at most 63 characters.')
  .regex(/^[a-z0-9-]+$/, 'Use only lowercase letters, digits and hyphens.')
  .refine((s) => !s.startsWith('-') && !s.endsWith('-'), 'It cannot start or end with a hyphen.')
  .refine((s) => !s.includes('--'), 'It cannot contain two hyphens in a row.')
  .refine((s) => !RESERVED_SLUGS.has(s), 'This subdomain is reserved. Please choose another.');

/** A subdomain suggestion from an organization name: "Acme Corp." → "acme-corp". */
export function suggestSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/g, '');
  return slug.length >= 3 ? slug : '';
}
