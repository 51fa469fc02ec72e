import 'server-only';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { getEnv } from '@/lib/config/env';

const VERSION = 'v1';

/**
 * Keys derived from AUTH_SECRET with HKDF, one per purpose, so a database dump alone reveals neither TOTP
 * secrets nor recovery codes. Rotating AUTH_SECRET therefore also retires every enrolled authenticator.
 */
export function deriveKey(purpose: 'totp-secret' | 'recovery-code'): Buffer {
  return Buffer.from(
    hkdfSync('sha256', getEnv().authSecret, 'tenantry', `tenantry:${purpose}:${VERSION}`, 32),
  );
}

/** AES-256-GCM; the user id is authenticated data, so a sealed secret copied to another user's row fails. */
export function sealSecret(secret: string, userId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey('totp-secret'), iv);
  cipher.setAAD(Buffer.from(userId));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, iv.toString('base64url'), body.toString('base64url')].join('.');
}

export function openSecret(sealed: string, userId: string): string | null {
  const [version, ivText, bodyText] = sealed.split('.');
  if (version !== VERSION || !ivText || !bodyText) return null;
  const body = Buffer.from(bodyText, 'base64url');
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      deriveKey('totp-secret'),
      Buffer.from(ivText, 'base64url'),
    );
    decipher.setAAD(Buffer.from(userId));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - 16)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return null;
  }
}
