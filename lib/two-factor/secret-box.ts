import 'server-only';
import { open, seal } from '@/lib/crypto/secret-box';

export { deriveKey } from '@/lib/crypto/secret-box';

/**
 * TOTP secrets, sealed with their own key (lib/crypto/secret-box.ts). The user id is authenticated data, so a
 * sealed secret copied to another user's row fails. Rotating AUTH_SECRET retires every enrolled authenticator.
 */
export const sealSecret = (secret: string, userId: string) => seal('totp-secret', secret, userId);

export const openSecret = (sealed: string, userId: string) => open('totp-secret', sealed, userId);
