import { z } from 'zod';
import { RESERVED_SLUGS } from './reserved-slugs';

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
