import 'server-only';
import type postgres from 'postgres';
import { reportDatabaseFailure } from './availability';
import {
  classifyConnectionFailure,
  connectionStalledError,
  poolTimeoutError,
} from './connection-failure';

/**
 * Bounds on what a transaction waits for, so that no request hangs on a pool or a connection that will not
 * answer. postgres.js 3.4.9 handles a reserved connection that dies poorly: a statement queued behind
 * another on it when the socket closes is neither sent nor failed, ever; one sent after the close is
 * buffered, and never sent if a write was pending at the close (porsager/postgres#1208). Such a
 * transaction would wait forever, and its connection with it.
 */

/**
 * The longest a transaction waits for a connection while its pool hands out none: every connection is
 * held and none comes back. Past it the request answers 503 (see connection-failure.ts, `saturated`)
 * instead of queueing behind connections that may never return, and the breaker checks whether the database
 * is still there. A queue that moves (a burst of requests on a healthy database) is waited for.
 */
export const POOL_WAIT_LIMIT_MS = 1_500;

/** How long a connection the pool handed out may take to answer BEGIN before it counts as lost. */
export const BEGIN_LIMIT_MS = 1_000;

/**
 * Fires after `ms`, then after one more turn of the event loop: an answer that arrived while the process was
 * busy (a long garbage collection) is in the poll phase's queue, and must win over a timer that ran late.
 */
function after(ms: number, fn: () => void) {
  return setTimeout(() => setImmediate(fn), ms);
}

/** When each pool last handed out a connection (performance.now()). */
const lastHandedOut = new WeakMap<postgres.Sql, number>();

/**
 * `pool.reserve()`, given up once the pool has handed out no connection for `limitMs` (to this request or
 * any other): the connection, when it comes, goes straight back.
 */
export function reserveWithin(pool: postgres.Sql, limitMs = POOL_WAIT_LIMIT_MS) {
  const started = performance.now();
  const reserving = pool.reserve().then((conn) => {
    lastHandedOut.set(pool, performance.now());
    return conn;
  });
  let timer: NodeJS.Timeout | undefined;
  let done = false;
  const timeout = new Promise<never>((_, reject) => {
    const check = () => {
      if (done) return;
      const idleMs = performance.now() - Math.max(started, lastHandedOut.get(pool) ?? 0);
      if (idleMs >= limitMs) reject(poolTimeoutError(limitMs));
      else timer = after(limitMs - idleMs, check);
    };
    timer = after(limitMs, check);
  });
  const stop = () => {
    done = true;
    clearTimeout(timer);
  };
  return Promise.race([reserving, timeout]).then(
    (conn) => {
      stop();
      return conn;
    },
    (error: unknown) => {
      stop();
      reserving.then(
        (conn) => conn.release(),
        () => {},
      );
      throw error;
    },
  );
}

export type ConnectionWatch = {
  /** Rejects at the first sign that the connection is gone; never resolves. Race the transaction with it. */
  lost: Promise<never>;
  /** Returns the statement, noting whether its failure means the connection is gone. */
  watch<Q extends Promise<unknown>>(statement: Q): Q;
  /** `watch`, and the connection counts as gone when BEGIN has no answer within BEGIN_LIMIT_MS. */
  watchBegin<Q extends Promise<unknown>>(begin: Q): Q;
};

/**
 * Watches the statements of one reserved connection. Any statement in flight when the connection dies fails
 * with a connection error, and so do the ones sent with it; that first failure ends the transaction, whatever
 * becomes of the statements queued behind it, and tells the breaker at once, which retires the pools.
 */
export function watchConnection(): ConnectionWatch {
  let markLost!: (error: unknown) => void;
  const lost = new Promise<never>((_, reject) => {
    let marked = false;
    markLost = (error) => {
      if (marked) return;
      marked = true;
      reportDatabaseFailure(error);
      reject(error);
    };
  });
  lost.catch(() => {});
  // The native `then`: postgres.js's own would start the statement, which is its caller's to do.
  const observe = (statement: Promise<unknown>, onSettled: (error?: unknown) => void) =>
    Promise.prototype.then.call(statement, () => onSettled(), onSettled);
  const watch = <Q extends Promise<unknown>>(statement: Q): Q => {
    observe(statement, (error) => {
      if (error !== undefined && classifyConnectionFailure(error) === 'unreachable')
        markLost(error);
    });
    return statement;
  };
  return {
    lost,
    watch,
    watchBegin(begin) {
      let answered = false;
      const timer = after(
        BEGIN_LIMIT_MS,
        () => answered || markLost(connectionStalledError(BEGIN_LIMIT_MS)),
      );
      observe(begin, () => {
        answered = true;
        clearTimeout(timer);
      });
      return watch(begin);
    },
  };
}
