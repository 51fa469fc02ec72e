import 'server-only';
import type postgres from 'postgres';
import type Pusher from 'pusher';
import { logger } from '@/lib/log';
import { describePusherFailure } from '@/lib/realtime/pusher';
import { classifyFailure } from './database-metrics';
import type { QueueStatsSource } from './queue-source';
import { TimeoutError, withTimeout } from './timeout';

/**
 * Readiness: can this process do its whole job now? Each part is checked side by side within a second, and
 * a failing part is named with a short reason from a fixed vocabulary (never an error message, which could
 * carry an address or a credential: those go to the log, under the request's id).
 */

export type ReadinessCheck = () => Promise<void>;

/** A part that is not ready: its message is the reason shown, `detail` goes to the log only. */
export class NotReady extends Error {
  constructor(
    reason: string,
    readonly detail?: string,
  ) {
    super(reason);
  }
}

export const CHECK_TIMEOUT_MS = 1_000;

/** The runtime role's pool answers a trivial query: connections can be had and the server responds. */
export const checkDatabase =
  (sql: postgres.Sql): ReadinessCheck =>
  async () => {
    await sql`select 1`;
  };

/**
 * The realtime server answers a signed call of its HTTP API (Pusher, Soketi and the local server all serve
 * GET /apps/:id/channels): reachable, and our credentials accepted. The prefix names no channel, so even
 * a busy app answers with an empty list.
 */
export const checkRealtime =
  (pusher: Pusher): ReadinessCheck =>
  async () => {
    try {
      await pusher.get({ path: '/channels', params: { filter_by_prefix: 'private-readiness-' } });
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      const detail = describePusherFailure(error);
      if (typeof status === 'number') throw new NotReady(`answered ${status}`, detail);
      // The SDK aborts a call that outlives its timeout.
      throw new NotReady(/abort/i.test(detail) ? 'timed out' : 'unreachable', detail);
    }
  };

/**
 * Beyond this, a due job that nobody has taken means no worker is draining its queue (a live worker takes one
 * within seconds; retries wait in another state until they are due).
 */
export const QUEUE_STALL_SECONDS = 120;

export const checkQueue =
  (readStats: QueueStatsSource): ReadinessCheck =>
  async () => {
    const stalled = (await readStats())
      .filter((s) => s.queued > 0 && s.oldestQueuedSeconds > QUEUE_STALL_SECONDS)
      .sort((a, b) => b.oldestQueuedSeconds - a.oldestQueuedSeconds);
    const [worst] = stalled;
    if (worst)
      throw new NotReady(
        `no worker is draining ${worst.queue}: its oldest job has waited ${Math.round(worst.oldestQueuedSeconds)} s`,
      );
  };

export type Readiness = {
  ready: boolean;
  body: { status: 'ready' | 'unavailable'; checks: Record<string, string> };
};

export async function checkReadiness(
  checks: Record<string, ReadinessCheck>,
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<Readiness> {
  const results = await Promise.all(
    Object.entries(checks).map(
      async ([name, check]) => [name, await runCheck(name, check, timeoutMs)] as const,
    ),
  );
  const ready = results.every(([, result]) => result === 'ok');
  return {
    ready,
    body: { status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(results) },
  };
}

async function runCheck(name: string, check: ReadinessCheck, timeoutMs: number) {
  try {
    await withTimeout(check(), timeoutMs);
    return 'ok';
  } catch (error) {
    const reason = describeNotReady(error);
    logger().warn({ check: name, reason, detail: detailOf(error) }, 'not ready');
    return reason;
  }
}

function describeNotReady(error: unknown): string {
  if (error instanceof NotReady) return error.message;
  if (error instanceof TimeoutError) return 'timed out';
  return classifyFailure(error) === 'unreachable' ? 'unreachable' : 'failed';
}

/** For the log line only. */
function detailOf(error: unknown): string {
  if (error instanceof NotReady) return error.detail ?? error.message;
  return error instanceof Error ? error.message : String(error);
}
