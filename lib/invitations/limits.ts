import type { RateLimit } from '@/lib/rate-limit/limit';

/** Budgets of the joining paths, counted in PostgreSQL like every rate limit (lib/rate-limit). */
export const JOIN_LIMITS = {
  // Asking for a join link: per client address, and per address asked for in one organization, so nobody
  // floods an inbox with links.
  requestPerIp: { name: 'join-request:ip', points: 10, windowSeconds: 900 },
  requestPerAddress: { name: 'join-request:address', points: 3, windowSeconds: 3600 },
  // A new account's password is hashed (argon2): a budget per client address, so bogus links cannot drain CPU.
  newAccountPerIp: { name: 'join-new-account:ip', points: 20, windowSeconds: 900 },
} satisfies Record<string, RateLimit>;
