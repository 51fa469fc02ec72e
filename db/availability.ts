import 'server-only';
import postgres from 'postgres';
import { closeDatabase, databaseConfig, databaseLogger } from './client';
import {
  classifyConnectionFailure,
  findConnectionFailure,
  probeTimeoutError,
} from './connection-failure';
import { availabilityState } from './outage';

/**
 * The circuit breaker of this process. A failure to reach the database (see connection-failure.ts) opens it;
 * while it is open, transactions fail at once instead of waiting on the pool (db/transaction.ts) and the
 * server in front of Next.js answers 503 before Next.js sees the request (scripts/unavailable.ts). Only a
 * probe closes it: `select 1` on a connection of its own, opened afresh every PROBE_INTERVAL_MS, so the
 * breaker closes as soon as the database answers, and no request is spent finding out.
 *
 * Fed by the database layer's `observer.failed` (wired in lib/config/database.ts), which sees every failed
 * transaction of the process, and at once by the watch on each transaction's connection
 * (connection-watch.ts), which sees a connection lost before its transaction ends.
 */

/** How long an open breaker waits between two probes. */
export const PROBE_INTERVAL_MS = 300;
/** How long one probe may take, connecting included: a server that accepts but never answers counts as down. */
const PROBE_TIMEOUT_MS = 1_000;

/** What a failed transaction tells the breaker: opens it, asks the database, or nothing. */
export function reportDatabaseFailure(error: unknown): void {
  const kind = classifyConnectionFailure(error);
  if (kind === 'unreachable') openBreaker(error);
  // A full pool or server is no proof of an outage: open only if a fresh connection fails too.
  else if (kind === 'saturated') void verifyReachable();
}

function openBreaker(error: unknown) {
  const state = availabilityState();
  if (!state.outage) {
    state.outage = { since: Date.now(), reason: describeOutage(error) };
    databaseLogger().warn(
      { reason: state.outage.reason },
      'The database is unreachable: answering 503 until it is back.',
    );
    retirePools();
  }
  void probeUntilReachable();
}

/**
 * The pools that saw the outage are ended, and the first requests after it open new ones. A connection that
 * died with the server is not always fit to connect again in postgres.js 3.4.9: one that lost its socket
 * with a write still buffered never sends again (every later connect times out), and a statement sent on
 * it after the loss waits until the connection is reused. Ending the pool settles those statements, with
 * CONNECTION_DESTROYED after RETIRE_GRACE_SECONDS; transactions on connections that survived finish first.
 */
const RETIRE_GRACE_SECONDS = 1;

function retirePools() {
  closeDatabase(RETIRE_GRACE_SECONDS).catch((error: unknown) =>
    databaseLogger().warn({ reason: String(error) }, 'Ending the pools after an outage failed.'),
  );
}

async function probeUntilReachable() {
  const state = availabilityState();
  if (state.probing) return;
  state.probing = true;
  try {
    while (state.outage) {
      try {
        await probeDatabase();
      } catch {
        await sleep(PROBE_INTERVAL_MS);
        continue;
      }
      databaseLogger().info(
        { downMs: Date.now() - state.outage.since },
        'The database answers again.',
      );
      state.outage = null;
    }
  } finally {
    state.probing = false;
  }
}

async function verifyReachable() {
  const state = availabilityState();
  if (state.outage || state.verifying) return;
  state.verifying = true;
  try {
    await probeDatabase();
  } catch (error) {
    if (classifyConnectionFailure(error) !== 'saturated') openBreaker(error);
  } finally {
    state.verifying = false;
  }
}

/** Resolves once the runtime role's database answered `select 1` on a new connection; throws otherwise. */
async function probeDatabase() {
  const sql = postgres(databaseConfig().appUrl, {
    max: 1,
    connect_timeout: PROBE_TIMEOUT_MS / 1000,
    max_lifetime: null,
    fetch_types: false,
    prepare: false,
    onnotice: () => {},
  });
  let timer: NodeJS.Timeout | undefined;
  const query = sql`select 1`.execute();
  // Left unanswered when the timeout wins; ending the client below rejects it.
  query.catch(() => {});
  try {
    await Promise.race([
      query,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(probeTimeoutError(PROBE_TIMEOUT_MS)), PROBE_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await sql.end({ timeout: 0 });
  }
}

/** Unref'd: a probe loop never keeps a process alive that is otherwise done. */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** The code and the driver's or server's message: never a query or its parameters, which Drizzle's wrapper holds. */
function describeOutage(error: unknown): string {
  const cause = findConnectionFailure(error);
  return cause ? `${cause.code}: ${cause.message}` : 'unknown failure';
}
