import type { DatabaseObserver } from '@/db/client';
import { classifyConnectionFailure } from '@/db/connection-failure';
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

/**
 * `unreachable`: no connection, or it was lost; `saturated`: no connection free in time (both as
 * db/connection-failure.ts tells them, which also decides the 503); `database`: an error PostgreSQL answered
 * (a constraint, a serialization failure); `application`: the code inside threw.
 */
export function classifyFailure(
  error: unknown,
): 'unreachable' | 'saturated' | 'database' | 'application' {
  const connection = classifyConnectionFailure(error);
  if (connection) return connection;
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    // postgres.js's PostgresError: what the server answered, with its severity.
    if (typeof (e as { severity?: unknown }).severity === 'string') return 'database';
  }
  return 'application';
}
