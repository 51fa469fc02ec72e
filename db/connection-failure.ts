/**
 * Tells a failure to reach the database apart from a failed query. Pure, with no imports: the error mapping
 * of every entry point (lib/errors) and the circuit breaker (db/availability.ts) both use it.
 *
 * - `unreachable`: no connection could be made or kept (the server is down, restarting, or cut off). Nothing
 *   the request did caused it, and the next request would fail the same way until the server is back.
 * - `saturated`: the server is up but has no connection to give (its `max_connections`, or every connection
 *   of our pool held past the wait we allow). Other requests may still get through.
 *
 * Anything else (a constraint, a serialization failure, a cancelled statement, a bug) is `null`: the
 * database answered, and the caller handles that answer.
 */
export type ConnectionFailure = 'unreachable' | 'saturated';

/** Node's socket and resolver errors for a server that cannot be reached or dropped the connection. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** postgres.js's own codes for a connection that closed, was ended or destroyed, or never opened in time. */
const DRIVER_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/** Raised by this layer itself: the breaker is open, or the availability probe got no answer in time. */
export const DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE';
export const PROBE_TIMEOUT = 'PROBE_TIMEOUT';
/** Raised when a pool handed out no connection for longer than a request may wait for one. */
export const POOL_TIMEOUT = 'POOL_TIMEOUT';
/** Reported when a connection handed out by a pool did not answer BEGIN in time: lost, or the server hangs. */
export const CONNECTION_STALLED = 'CONNECTION_STALLED';

/**
 * SQLSTATEs: class 08 (connection exception), and the server shutting down or starting up: admin_shutdown
 * (57P01, also `pg_terminate_backend`), crash_shutdown (57P02, another backend crashed), cannot_connect_now
 * (57P03, starting up or in recovery). 53300 is too_many_connections.
 */
function classifyCode(code: string): ConnectionFailure | null {
  if (NETWORK_CODES.has(code) || DRIVER_CODES.has(code)) return 'unreachable';
  if (code === DATABASE_UNAVAILABLE || code === PROBE_TIMEOUT || code === CONNECTION_STALLED)
    return 'unreachable';
  if (/^08[0-9A-Z]{3}$/.test(code)) return 'unreachable';
  if (code === '57P01' || code === '57P02' || code === '57P03') return 'unreachable';
  if (code === '53300' || code === POOL_TIMEOUT) return 'saturated';
  return null;
}

/** The wrapped error that made the verdict: its code, and its message for the logs. */
export type ConnectionFailureCause = { kind: ConnectionFailure; code: string; message: string };

/**
 * Looks through the wrappers a failure arrives in: Drizzle's `DrizzleQueryError` and other `cause` chains,
 * and the `AggregateError` Node raises when every address of a host refused the connection.
 */
export function findConnectionFailure(error: unknown): ConnectionFailureCause | null {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  let found: ConnectionFailureCause | null = null;
  while (pending.length > 0 && seen.size < 20) {
    const e = pending.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, message, cause, errors } = e as Record<string, unknown>;
    const kind = typeof code === 'string' ? classifyCode(code) : null;
    if (kind) {
      const hit = { kind, code: code as string, message: String(message ?? '') };
      // One cause saying the server is gone outweighs another saying it was only busy.
      if (kind === 'unreachable') return hit;
      found ??= hit;
    }
    pending.push(cause);
    if (Array.isArray(errors)) pending.push(...errors);
  }
  return found;
}

export const classifyConnectionFailure = (error: unknown): ConnectionFailure | null =>
  findConnectionFailure(error)?.kind ?? null;

export const isConnectionFailure = (error: unknown) => classifyConnectionFailure(error) !== null;

const failure = (code: string, message: string) => Object.assign(new Error(message), { code });

export const databaseUnavailableError = () =>
  failure(DATABASE_UNAVAILABLE, 'The database is unreachable; not waiting for a connection.');

export const poolTimeoutError = (waitedMs: number) =>
  failure(POOL_TIMEOUT, `The pool handed out no database connection for ${waitedMs} ms.`);

export const connectionStalledError = (waitedMs: number) =>
  failure(CONNECTION_STALLED, `A database connection did not answer BEGIN within ${waitedMs} ms.`);

export const probeTimeoutError = (waitedMs: number) =>
  failure(
    PROBE_TIMEOUT,
    `The database did not answer the availability probe within ${waitedMs} ms.`,
  );
