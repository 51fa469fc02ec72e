import 'server-only';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { getEnv } from '@/lib/config/env';

const VERSION = 'v1';

export type KeyPurpose = 'totp-secret' | 'recovery-code' | 'mail-body';

/**
 * Keys derived from AUTH_SECRET with HKDF, one per purpose, so a database dump alone reveals no sealed
 * secret. Rotating AUTH_SECRET therefore also retires everything sealed with the old one.
 */
export function deriveKey(purpose: KeyPurpose): Buffer {
  return Buffer.from(
    hkdfSync('sha256', getEnv().authSecret, 'tenantry', `tenantry:${purpose}:${VERSION}`, 32),
  );
}

/**
 * AES-256-GCM under the purpose's key. `associated` (the row's identity) is authenticated, so a sealed value
 * copied into another row does not open there.
 */
export function seal(purpose: KeyPurpose, plaintext: string, associated: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(purpose), iv);
  cipher.setAAD(Buffer.from(associated));
  const body = Buffer.concat([
    cipher.update(plaintext, 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return [VERSION, iv.toString('base64url'), body.toString('base64url')].join('.');
}

/** The plaintext, or null when the value is malformed, was sealed for another row, or under another key. */
export function open(purpose: KeyPurpose, sealed: string, associated: string): string | null {
  const [version, ivText, bodyText] = sealed.split('.');
  if (version !== VERSION || !ivText || !bodyText) return null;
  const body = Buffer.from(bodyText, 'base64url');
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      deriveKey(purpose),
      Buffer.from(ivText, 'base64url'),
    );
    decipher.setAAD(Buffer.from(associated));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - 16)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return null;
  }
}
