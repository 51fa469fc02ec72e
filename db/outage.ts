/**
 * Whether this process currently considers the database unreachable: the circuit breaker's state, which
 * db/availability.ts sets and the server in front of Next.js (scripts/unavailable.ts) reads on every request.
 * One record per process on globalThis, under a registered symbol: Next.js bundles the database layer more
 * than once into the server process, and the custom server imports its own copy, yet all of them must see one
 * breaker. Imports nothing, so the custom server can read it before Next.js is loaded.
 */

export type Outage = {
  /** When the breaker opened (ms since the epoch). */
  since: number;
  /** The failure that opened it, for the logs (no connection strings: postgres.js names host and port only). */
  reason: string;
};

export type AvailabilityState = {
  outage: Outage | null;
  /** A probe loop is running (only one per process). */
  probing: boolean;
  /** A single probe is checking whether a full pool hides an outage. */
  verifying: boolean;
};

const KEY = Symbol.for('tenantry.databaseAvailability');

export function availabilityState(): AvailabilityState {
  const global = globalThis as { [KEY]?: AvailabilityState };
  global[KEY] ??= { outage: null, probing: false, verifying: false };
  return global[KEY];
}

/** The current outage, or null while the database is believed reachable. */
export const currentOutage = (): Outage | null => availabilityState().outage;
