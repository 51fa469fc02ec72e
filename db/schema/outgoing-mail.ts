import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  integer,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt } from './columns';
import { deadRowsForWorker, olderThan, RETENTION } from './retention';
import { platformRole, tenantCreatedInThisTransaction, tenantIsolationPolicy } from './roles';
import { tenants } from './tenants';

export const outgoingMailStatuses = ['queued', 'sent', 'failed'] as const;
export type OutgoingMailStatus = (typeof outgoingMailStatuses)[number];

/**
 * Mail written in the transaction of the change that causes it, and delivered by a job that carries only
 * this row's id (lib/mail/mail-job.ts). The body holds live links (reset, verification), so it is stored
 * sealed with a key derived from AUTH_SECRET and erased once the message is sent or given up on; what stays
 * says to whom, what, when and how it went.
 */
export const outgoingMail = pgTable(
  'outgoing_mail',
  {
    tenantId: tenantId(),
    id: id(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    // lib/mail/sealed-body.ts; null once delivered or failed for good.
    sealedBody: text('sealed_body'),
    status: text('status', { enum: outgoingMailStatuses }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    check('outgoing_mail_status_valid', sql`${t.status} in ('queued', 'sent', 'failed')`),
    // A message waiting for delivery keeps its body; one that is done never does.
    check(
      'outgoing_mail_body_only_while_queued',
      sql`${t.status} = 'queued' or ${t.sealedBody} is null`,
    ),
    tenantIsolationPolicy('outgoing_mail', t.tenantId),
    // Sign-up mails the new owner a verification link before any tenant context exists.
    pgPolicy('outgoing_mail_platform_insert', {
      for: 'insert',
      to: platformRole,
      withCheck: tenantCreatedInThisTransaction(t.tenantId),
    }),
    ...deadRowsForWorker('outgoing_mail', olderThan(t.createdAt, RETENTION.outgoingMail)),
  ],
);

export type OutgoingMail = typeof outgoingMail.$inferSelect;
