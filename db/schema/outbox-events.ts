import { index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId } from './columns';
import { tenantIsolationPolicy } from './roles';

/**
 * Realtime events, written in the same transaction as the change they describe, so an event exists exactly
 * when its change committed. Published right after commit; `published_at` stays null until Pusher took it.
 */
export const outboxEvents = pgTable(
  'outbox_events',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('outbox_events_unpublished_idx').on(t.tenantId, t.createdAt),
    tenantIsolationPolicy('outbox_events', t.tenantId),
  ],
);
