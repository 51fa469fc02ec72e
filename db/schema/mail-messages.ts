import { sql } from 'drizzle-orm';
import { pgPolicy, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';
import { platformRole } from './roles';

/**
 * Outgoing mail captured instead of sent, when no SMTP_URL is configured (development and tests); read in
 * the development mailbox. Never written when a real SMTP server is configured. Each row is the delivery of
 * one `outgoing_mail` message, at most once: a delivery cut off and run again finds its row already there.
 */
export const mailMessages = pgTable(
  'mail_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Null for mail captured before messages went through the queue.
    messageId: uuid('message_id').unique('mail_messages_message_id_key'),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    // Empty for a text-only message (see lib/mail/templates.ts).
    html: text('html').notNull(),
    createdAt: createdAt(),
  },
  () => [
    pgPolicy('mail_messages_platform', {
      for: 'all',
      to: platformRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
  ],
);
