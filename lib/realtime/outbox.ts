import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { outboxEvents, type RealtimeAudience } from '@/db/schema';
import { withTenant } from '@/db/with-tenant';
import { getEnv } from '@/lib/config/env';
import { logger } from '@/lib/log';
import { countRealtimeEvents } from '@/lib/observability/metrics';
import { tenantAdminChannel, tenantDataChannel } from './channels';
import { describePusherFailure, getPusher } from './pusher';

export type RealtimeEvent = {
  name: string;
  payload: Record<string, unknown>;
  /**
   * Everyone in the tenant (the default), or only its owners and admins: events about members and
   * invitations, which name people by email, never go over the tenant's shared channel.
   */
  audience?: RealtimeAudience;
};
export type RecordedEvent = RealtimeEvent & { id: string };

/** Pusher's HTTP API takes at most ten events per batch request. */
const PUSHER_BATCH_LIMIT = 10;

/**
 * Writes events in the caller's transaction: they exist exactly when the change they describe commits. The
 * insert also wakes the outbox sweeper, through a trigger whose notification PostgreSQL sends on commit.
 */
export async function recordEvents(tx: Transaction, tenantId: string, events: RealtimeEvent[]) {
  if (events.length === 0) return [];
  const rows = await tx
    .insert(outboxEvents)
    .values(
      events.map((e) => ({
        tenantId,
        name: e.name,
        payload: e.payload,
        audience: e.audience ?? 'tenant',
      })),
    )
    .returning({ id: outboxEvents.id });
  return events.map((e, i) => ({ ...e, id: rows[i]!.id }));
}

/**
 * Sends events to the tenant's private channel (or its admins' channel), in order, each carrying its id so clients drop duplicates
 * (the sweeper may send an event the direct publish already delivered). Throws when the realtime server
 * did not take them.
 */
export async function sendEvents(tenantId: string, events: RecordedEvent[]) {
  for (let i = 0; i < events.length; i += PUSHER_BATCH_LIMIT) {
    const batch = events.slice(i, i + PUSHER_BATCH_LIMIT);
    try {
      await getPusher().triggerBatch(
        batch.map((e) => ({
          channel:
            e.audience === 'admins' ? tenantAdminChannel(tenantId) : tenantDataChannel(tenantId),
          name: e.name,
          data: JSON.stringify({ id: e.id, ...e.payload }),
        })),
      );
    } catch (error) {
      // The rest of the events are not tried either: they stay in the outbox, counted once they are sent.
      countRealtimeEvents('failed', batch.length);
      throw error;
    }
    countRealtimeEvents('ok', batch.length);
  }
}

export async function markPublished(
  ctx: { tenantId: string; userId: string | null },
  ids: string[],
) {
  if (ids.length === 0) return;
  await withTenant(ctx, (tx) =>
    tx
      .update(outboxEvents)
      .set({ publishedAt: sql`now()` })
      .where(and(eq(outboxEvents.tenantId, ctx.tenantId), inArray(outboxEvents.id, ids))),
  );
}

/**
 * Publishes committed events right after their transaction, then marks them published. A failure leaves
 * them unpublished for the sweeper; the change itself has already succeeded.
 */
export async function publishEvents(
  ctx: { tenantId: string; userId: string },
  events: RecordedEvent[],
) {
  // Without a realtime server (unit and integration tests) events simply stay in the outbox.
  if (events.length === 0 || !getEnv().pusher) return;
  try {
    await sendEvents(ctx.tenantId, events);
    await markPublished(
      ctx,
      events.map((e) => e.id),
    );
  } catch (error) {
    logger().warn(
      { reason: describePusherFailure(error) },
      'realtime events stay in the outbox for the sweeper',
    );
  }
}
