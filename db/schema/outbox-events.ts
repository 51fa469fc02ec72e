import { sql } from 'drizzle-orm';
import {
  check,
  index,
  jsonb,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId } from './columns';
import { deadRowsForWorker, olderThan, RETENTION } from './retention';
import { platformRole, tenantIsolationPolicy } from './roles';

export const realtimeAudiences = ['tenant', 'admins'] as const;
export type RealtimeAudience = (typeof realtimeAudiences)[number];

/**
 * Realtime events, written in the same transaction as the change they describe, so an event exists exactly
 * when its change committed. Published right after commit; `published_at` stays null until Pusher took it.
 * A trigger (custom SQL in the migration) notifies `outbox_events` on insert, at commit only, which wakes the
 * sweeper (lib/realtime/sweeper.ts) that republishes what the direct publish failed to deliver.
 */
export const outboxEvents = pgTable(
  'outbox_events',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    // Who receives it: the whole tenant, or only its owners and admins (events that name people by email).
    audience: text('audience', { enum: realtimeAudiences }).notNull().default('tenant'),
    createdAt: createdAt(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    check('outbox_events_audience_valid', sql`${t.audience} in ('tenant', 'admins')`),
    index('outbox_events_unpublished_idx').on(t.tenantId, t.createdAt),
    // The sweeper's cross-tenant discovery reads only the pending rows, however long the table grows.
    index('outbox_events_pending_idx').on(t.createdAt).where(sql`${t.publishedAt} is null`),
    tenantIsolationPolicy('outbox_events', t.tenantId),
    // Which tenants have pending events, and since when: the column grant gives the platform role
    // tenant_id, created_at and published_at only, never an event's name or payload.
    pgPolicy('outbox_events_platform_pending', {
      for: 'select',
      to: platformRole,
      using: sql`${t.publishedAt} is null`,
    }),
    // Unpublished events stay whatever their age: the sweeper still owes them to the tenant's browsers.
    ...deadRowsForWorker(
      'outbox_events',
      sql`${t.publishedAt} is not null and ${olderThan(t.createdAt, RETENTION.publishedOutboxEvents)}`,
    ),
  ],
);
