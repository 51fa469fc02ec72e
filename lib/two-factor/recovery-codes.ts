import 'server-only';
import { createHmac, randomInt } from 'node:crypto';
import { deriveKey } from './secret-box';

export const RECOVERY_CODE_COUNT = 10;
// No 0/o, 1/l/i: codes are read off paper and typed by hand.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUP = 5;

/** Ten codes like `k7m2p-xq9rt` (about 49 bits each), shown to the user once. */
export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: GROUP * 2 }, () => ALPHABET[randomInt(ALPHABET.length)]);
    return `${chars.slice(0, GROUP).join('')}-${chars.slice(GROUP).join('')}`;
  });
}

/** What the user typed, without spaces, dashes or capitals; null when it cannot be a recovery code. */
export function normalizeRecoveryCode(input: string): string | null {
  const code = input.toLowerCase().replace(/[\s-]/g, '');
  return code.length === GROUP * 2 && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

/** Keyed with a secret the database never holds, so stored hashes cannot be brute-forced from a dump. */
export function hashRecoveryCode(userId: string, normalizedCode: string): string {
  return createHmac('sha256', deriveKey('recovery-code'))
    .update(`${userId}:${normalizedCode}`)
    .digest('hex');
}
