import type { DatabaseObserver } from '@/db/client';
import { metrics } from './metrics';

/**
 * Pool use, from the hooks db/transaction.ts calls around every transaction: how many connections are held,
 * how long a transaction waited for one (a saturated pool shows here before it shows as latency), and which
 * transactions failed and why.
 */
export function databaseMetricsObserver(poolSize: number): DatabaseObserver {
  const m = metrics();
  m.dbPoolSize.set(poolSize);
  return {
    acquired(waitMs) {
      m.dbConnectionsInUse.inc();
      m.dbAcquireWait.observe(waitMs / 1000);
    },
    released() {
      m.dbConnectionsInUse.dec();
    },
    failed(error) {
      m.dbTransactionFailures.inc({ kind: classifyFailure(error) });
    },
  };
}

/** Node's and postgres.js's codes for a connection that could not be made or was lost. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

/**
 * `unreachable`: no connection, or it was lost (SQLSTATE class 08, a server shutting down); `database`: an
 * error PostgreSQL answered (a constraint, a serialization failure); `application`: the code inside threw.
 */
export function classifyFailure(error: unknown): 'unreachable' | 'database' | 'application' {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const { code, severity } = e as { code?: unknown; severity?: unknown };
    if (typeof code !== 'string') continue;
    if (CONNECTION_CODES.has(code) || code.startsWith('08') || code === '57P01' || code === '57P03')
      return 'unreachable';
    // postgres.js's PostgresError: what the server answered, with its severity.
    if (typeof severity === 'string') return 'database';
  }
  return 'application';
}
