import 'server-only';
import type { UsageDelta } from '@/db/statements/tenant-usage';
import { addUsageSql } from '@/db/statements/tenant-usage';
import { withPlatform } from '@/db/with-platform';
import { logger } from '@/lib/log';

/**
 * Per-tenant usage, counted in memory as requests and writes happen and added to the database every few
 * seconds in one statement (db/statements/tenant-usage.ts), so counting costs a request nothing and the
 * database one upsert per process per interval, however busy. Counts of every process add up in the same
 * rows. A flush that fails keeps its counts for the next one; what a process still holds when it is killed
 * (not stopped) is lost, at most one interval's worth: these are operating figures, not invoices.
 */

type Kind = 'requests' | 'writes' | 'realtimeEvents';

export class UsageCounter {
  private pending = new Map<string, UsageDelta>();
  private flushing: Promise<void> | undefined;

  add(tenantId: string, counts: Partial<Record<Kind, number>>, now = new Date()) {
    const day = now.toISOString().slice(0, 10);
    const key = `${tenantId}/${day}`;
    let delta = this.pending.get(key);
    if (!delta) {
      delta = { tenantId, day, requests: 0, writes: 0, realtimeEvents: 0 };
      this.pending.set(key, delta);
    }
    delta.requests += counts.requests ?? 0;
    delta.writes += counts.writes ?? 0;
    delta.realtimeEvents += counts.realtimeEvents ?? 0;
  }

  /**
   * Adds what was counted so far to the database. Counts made while it runs wait for the next flush; a flush
   * asked for while one runs starts after it, so one process never races itself on the same rows.
   */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => {});
    if (this.pending.size === 0) return;
    const deltas = dropStaleDays([...this.pending.values()]);
    this.pending = new Map();
    this.flushing = addUsage(deltas).then(
      () => {
        this.flushing = undefined;
      },
      (error: unknown) => {
        this.flushing = undefined;
        for (const delta of deltas) this.add(delta.tenantId, delta, new Date(delta.day));
        throw error;
      },
    );
    return this.flushing;
  }
}

async function addUsage(deltas: UsageDelta[]) {
  if (deltas.length === 0) return;
  await withPlatform('usage-counters', (tx) => tx.execute(addUsageSql(deltas)));
}

/**
 * The platform role may add to today and yesterday only (db/schema/tenant-usage.ts); counts older than that,
 * held through a long database outage, are dropped (and said so) rather than fail every flush after them.
 */
function dropStaleDays(deltas: UsageDelta[], now = new Date()) {
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  const stale = deltas.filter((d) => d.day < yesterday);
  if (stale.length > 0)
    logger().warn(
      { days: [...new Set(stale.map((d) => d.day))], tenants: stale.length },
      'usage counts too old to be saved were dropped',
    );
  return stale.length === 0 ? deltas : deltas.filter((d) => d.day >= yesterday);
}

/** One counter per process, on globalThis: the custom server and Next.js's bundles all count into it. */
const KEY = Symbol.for('tenantry.usageCounter');
const holder = globalThis as { [KEY]?: UsageCounter };
function counter() {
  holder[KEY] ??= new UsageCounter();
  return holder[KEY];
}

export function countTenantRequest(tenantId: string) {
  counter().add(tenantId, { requests: 1 });
}

export function countTenantWrite(tenantId: string, realtimeEvents: number) {
  counter().add(tenantId, { writes: 1, realtimeEvents });
}

const FLUSH_INTERVAL_MS = 5_000;

/**
 * Flushes every few seconds until stopped; `stop()` flushes what is left (graceful shutdown). While the
 * database is unreachable the counts wait in memory, and the failure is logged once, then its recovery.
 */
export function startUsageFlusher(intervalMs = FLUSH_INTERVAL_MS) {
  let failing = false;
  const flush = () =>
    counter()
      .flush()
      .then(
        () => {
          if (failing) logger().info('usage counters are saved again');
          failing = false;
        },
        (error: unknown) => {
          if (!failing)
            logger().warn({ err: error }, 'usage counters wait in memory for the database');
          failing = true;
        },
      );
  const timer = setInterval(flush, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
