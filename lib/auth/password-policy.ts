import { z } from 'zod';
import { COMMON_PASSWORDS } from './common-passwords';

function isTriviallyGuessable(password: string): boolean {
  const p = password.toLowerCase();
  if (COMMON_PASSWORDS.has(p)) return true;
  if (new Set(p).size <= 3) return true;
  // Straight runs on the digit row or alphabet, like 123456789012 or abcdefghijkl.
  const codes = [...p].map((c) => c.charCodeAt(0));
  return codes.every((c, i) => i === 0 || Math.abs(c - codes[i - 1]!) === 1 || c === codes[i - 1]);
}

export const newPasswordSchema = z
  .string()
  .min(12, 'Use at least 12 characters.')
  .max(256, 'Use at most 256 characters.')
  .refine(
    (p) => !isTriviallyGuessable(p),
    'This password is too common. Please choose a less predictable one.',
  );
