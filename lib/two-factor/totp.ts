import 'server-only';
import { randomBytes } from 'node:crypto';
import { decodeBase32IgnorePadding, encodeBase32NoPadding } from '@oslojs/encoding';
import { createTOTPKeyURI, verifyHOTP } from '@oslojs/otp';

/** RFC 6238 defaults, the only ones every authenticator app supports. */
export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;
/** One step either side of now, for clocks a little off and codes typed at the end of their window. */
const DRIFT_STEPS = 1;

/** 160 random bits (RFC 4226's recommendation), base32 as authenticator apps expect it. */
export function generateTotpSecret(): string {
  return encodeBase32NoPadding(randomBytes(20));
}

export function totpKeyUri(secret: string, issuer: string, accountName: string) {
  return createTOTPKeyURI(
    issuer,
    accountName,
    decodeBase32IgnorePadding(secret),
    TOTP_PERIOD_SECONDS,
    DIGITS,
  );
}

export const currentTotpStep = (now = Date.now()) => Math.floor(now / 1000 / TOTP_PERIOD_SECONDS);

export const isTotpCode = (code: string) => /^\d{6}$/.test(code);

/**
 * The time step whose code `code` is, within the allowed drift and strictly after `lastUsedStep`, or null.
 * Steps already used are skipped, so a code seen once (over a shoulder, in a phishing proxy) is spent.
 */
export function matchTotpStep(
  secret: string,
  code: string,
  lastUsedStep: number | null,
  now = Date.now(),
): number | null {
  if (!isTotpCode(code)) return null;
  const key = decodeBase32IgnorePadding(secret);
  const current = currentTotpStep(now);
  for (let step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
    if (lastUsedStep !== null && step <= lastUsedStep) continue;
    if (verifyHOTP(key, BigInt(step), DIGITS, code)) return step;
  }
  return null;
}
