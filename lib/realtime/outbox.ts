import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { outboxEvents } from '@/db/schema';
import { withTenant } from '@/db/with-tenant';
import { getEnv } from '@/lib/config/env';
import { tenantDataChannel } from './channels';
import { getPusher } from './pusher';

export type RealtimeEvent = { name: string; payload: Record<string, unknown> };
export type RecordedEvent = RealtimeEvent & { id: string };

/** Writes events in the caller's transaction: they exist exactly when the change they describe commits. */
export async function recordEvents(tx: Transaction, tenantId: string, events: RealtimeEvent[]) {
  if (events.length === 0) return [];
  const rows = await tx
    .insert(outboxEvents)
    .values(events.map((e) => ({ tenantId, name: e.name, payload: e.payload })))
    .returning({ id: outboxEvents.id });
  return events.map((e, i) => ({ ...e, id: rows[i]!.id }));
}

/**
 * Publishes committed events to the tenant's private channel, each carrying its id so clients drop
 * duplicates, then marks them published. A failure leaves them unpublished for a later retry; the change
 * itself has already succeeded.
 */
export async function publishEvents(
  ctx: { tenantId: string; userId: string },
  events: RecordedEvent[],
) {
  // Without a realtime server (unit and integration tests) events simply stay in the outbox.
  if (events.length === 0 || !getEnv().pusher) return;
  try {
    await getPusher().triggerBatch(
      events.map((e) => ({
        channel: tenantDataChannel(ctx.tenantId),
        name: e.name,
        data: JSON.stringify({ id: e.id, ...e.payload }),
      })),
    );
    await withTenant(ctx, (tx) =>
      tx
        .update(outboxEvents)
        .set({ publishedAt: sql`now()` })
        .where(
          and(
            eq(outboxEvents.tenantId, ctx.tenantId),
            inArray(
              outboxEvents.id,
              events.map((e) => e.id),
            ),
          ),
        ),
    );
  } catch (error) {
    console.error('Realtime events stay in the outbox for a retry:', error);
  }
}
