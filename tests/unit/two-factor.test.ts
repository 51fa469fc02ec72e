import { describe, expect, it } from 'vitest';
import { hashRecoveryCode, normalizeRecoveryCode } from '@/lib/two-factor/recovery-codes';
import { openSecret, sealSecret } from '@/lib/two-factor/secret-box';
import { currentTotpStep, generateTotpSecret, matchTotpStep } from '@/lib/two-factor/totp';
import { totpCode } from '../support/two-factor';

const USER = '2b1f5f43-54a1-4d0e-9a8f-3f5f0c2a9e11';

describe('TOTP codes', () => {
  const secret = generateTotpSecret();
  const now = Date.now();
  const step = currentTotpStep(now);

  it('accepts the current step and one either side, and says which step matched', () => {
    expect(matchTotpStep(secret, totpCode(secret, 0, now), null, now)).toBe(step);
    expect(matchTotpStep(secret, totpCode(secret, -1, now), null, now)).toBe(step - 1);
    expect(matchTotpStep(secret, totpCode(secret, 1, now), null, now)).toBe(step + 1);
    expect(matchTotpStep(secret, totpCode(secret, 2, now), null, now)).toBeNull();
    expect(matchTotpStep(secret, totpCode(secret, -2, now), null, now)).toBeNull();
  });

  it('never accepts a step at or before the last one used', () => {
    expect(matchTotpStep(secret, totpCode(secret, 0, now), step, now)).toBeNull();
    expect(matchTotpStep(secret, totpCode(secret, -1, now), step, now)).toBeNull();
    expect(matchTotpStep(secret, totpCode(secret, 1, now), step, now)).toBe(step + 1);
  });

  it('rejects anything but six digits', () => {
    expect(matchTotpStep(secret, '12345', null, now)).toBeNull();
    expect(matchTotpStep(secret, 'abcdef', null, now)).toBeNull();
  });
});

describe('sealed secrets', () => {
  it('open only for the user they were sealed for, and not once tampered with', () => {
    const sealed = sealSecret('JBSWY3DPEHPK3PXP', USER);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(openSecret(sealed, USER)).toBe('JBSWY3DPEHPK3PXP');
    expect(openSecret(sealed, '00000000-0000-4000-8000-000000000000')).toBeNull();
    const [version, iv, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0]! ^= 1;
    expect(openSecret([version, iv, flipped.toString('base64url')].join('.'), USER)).toBeNull();
    // A fresh IV every time: the same secret never seals to the same text.
    expect(sealSecret('JBSWY3DPEHPK3PXP', USER)).not.toBe(sealed);
  });
});

describe('recovery codes', () => {
  it('are read however they are typed, and hashed per user', () => {
    expect(normalizeRecoveryCode(' K7M2P-XQ9RT ')).toBe('k7m2pxq9rt');
    expect(normalizeRecoveryCode('k7m2p xq9rt')).toBe('k7m2pxq9rt');
    expect(normalizeRecoveryCode('k7m2p-xq9r0')).toBeNull();
    expect(normalizeRecoveryCode('123456')).toBeNull();
    const hash = hashRecoveryCode(USER, 'k7m2pxq9rt');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode('00000000-0000-4000-8000-000000000000', 'k7m2pxq9rt')).not.toBe(hash);
  });
});
