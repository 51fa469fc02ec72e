import 'server-only';
import { and, asc, eq, isNull, lte, min, sql } from 'drizzle-orm';
import { outboxEvents } from '@/db/schema';
import { withPlatform } from '@/db/with-platform';
import { withTenant } from '@/db/with-tenant';
import { logger } from '@/lib/log';
import { markPublished, type RecordedEvent, sendEvents } from './outbox';
import { type OutboxListener, startOutboxListener } from './outbox-listener';
import { describePusherFailure } from './pusher';

/**
 * At-least-once delivery: republishes the outbox events whose direct publish (right after commit) failed,
 * typically because the realtime server was unreachable. It sleeps until PostgreSQL notifies an insert into
 * the outbox (at commit), waits a grace period so the direct publish usually wins, then publishes what is
 * still pending, oldest first, tenant by tenant. While publishing fails it retries with capped exponential
 * backoff; it also sweeps whenever it (re)connects to the database, which covers start-up and anything
 * committed while it was not listening. Events keep their ids, so clients drop the duplicates this allows.
 */

export type SweeperOptions = {
  /** How long after a commit the direct publish has before the sweeper steps in. */
  graceMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  log?: (message: string) => void;
};

export type OutboxSweeper = { stop(): Promise<void> };

const TENANTS_PER_PASS = 100;
const EVENTS_PER_TENANT = 100;

type PendingTenant = { tenantId: string; due: boolean };

export function startOutboxSweeper(options: SweeperOptions = {}): OutboxSweeper {
  const graceMs = options.graceMs ?? 250;
  const minBackoffMs = options.minBackoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  const log = options.log ?? ((message: string) => logger().warn(message));

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let dueAt = Number.POSITIVE_INFINITY;
  let running: Promise<void> | undefined;
  let backoffMs = 0;

  /** Runs a sweep within `delayMs`, keeping an earlier one that is already planned. */
  function schedule(delayMs: number) {
    if (stopped) return;
    const at = Date.now() + delayMs;
    if (at >= dueAt) return;
    clearTimeout(timer);
    dueAt = at;
    timer = setTimeout(() => {
      dueAt = Number.POSITIVE_INFINITY;
      timer = undefined;
      // A sweep already under way picks up new rows on its next pass; plan one more for after it.
      if (running) void running.then(() => schedule(0));
      else running = sweep().finally(() => (running = undefined));
    }, delayMs);
  }

  async function sweep() {
    try {
      const next = await publishPending(graceMs);
      if (backoffMs > 0) log('Outbox sweeper: realtime delivery has recovered.');
      backoffMs = 0;
      if (next !== 'done') schedule(next === 'now' ? 0 : graceMs);
    } catch (error) {
      if (backoffMs === 0)
        log(`Outbox sweeper: will retry pending events (${describePusherFailure(error)}).`);
      backoffMs = Math.min(maxBackoffMs, Math.max(minBackoffMs, backoffMs * 2));
      schedule(backoffMs);
    }
  }

  const listener: OutboxListener = startOutboxListener({
    // While retrying, the backoff decides: a burst of writes during an outage must not turn into a burst of
    // attempts.
    onNotify: () => {
      if (backoffMs === 0) schedule(graceMs);
    },
    // On start-up and after a lost connection: notifications may have been missed.
    onListen: () => schedule(0),
    log,
  });

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await listener.stop();
      await running;
    },
  };
}

/**
 * One pass over the oldest pending events of up to TENANTS_PER_PASS tenants. Says whether another pass is
 * needed now (a full page may hide more), later (some events were within the grace period: their direct
 * publish may still succeed), or not at all.
 */
async function publishPending(graceMs: number): Promise<'now' | 'later' | 'done'> {
  const tenants = await findTenantsWithPendingEvents(graceMs);
  // Oldest first: once a tenant is not due, none after it is.
  let next: 'now' | 'later' | 'done' =
    tenants.length === TENANTS_PER_PASS && tenants.every((t) => t.due) ? 'now' : 'done';
  for (const { tenantId, due } of tenants) {
    if (!due) {
      if (next === 'done') next = 'later';
      continue;
    }
    const events = await loadDueEvents(tenantId, graceMs);
    await sendEvents(tenantId, events);
    await markPublished(
      { tenantId, userId: null },
      events.map((e) => e.id),
    );
    if (events.length === EVENTS_PER_TENANT) next = 'now';
  }
  return next;
}

const cutoff = (graceMs: number) => sql`now() - make_interval(secs => ${graceMs / 1000})`;

/** Cross-tenant, so through the platform role, which sees only tenant ids and times of pending rows. */
function findTenantsWithPendingEvents(graceMs: number): Promise<PendingTenant[]> {
  const oldest = min(outboxEvents.createdAt);
  return withPlatform('outbox-sweep', (tx) =>
    tx
      .select({
        tenantId: outboxEvents.tenantId,
        due: sql<boolean>`${oldest} <= ${cutoff(graceMs)}`,
      })
      .from(outboxEvents)
      .where(isNull(outboxEvents.publishedAt))
      .groupBy(outboxEvents.tenantId)
      .orderBy(asc(oldest))
      .limit(TENANTS_PER_PASS),
  );
}

function loadDueEvents(tenantId: string, graceMs: number): Promise<RecordedEvent[]> {
  return withTenant({ tenantId, userId: null }, (tx) =>
    tx
      .select({
        id: outboxEvents.id,
        name: outboxEvents.name,
        payload: outboxEvents.payload,
        audience: outboxEvents.audience,
      })
      .from(outboxEvents)
      .where(
        and(
          eq(outboxEvents.tenantId, tenantId),
          isNull(outboxEvents.publishedAt),
          lte(outboxEvents.createdAt, cutoff(graceMs)),
        ),
      )
      .orderBy(asc(outboxEvents.createdAt), asc(outboxEvents.id))
      .limit(EVENTS_PER_TENANT),
  );
}
