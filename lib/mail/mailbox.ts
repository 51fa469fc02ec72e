import 'server-only';
import { desc } from 'drizzle-orm';
import { mailMessages } from '@/db/schema';
import { withPlatform } from '@/db/with-platform';
import { isMailCaptured } from './transport';

/**
 * The newest captured messages for /dev/mailbox, or null wherever mail is really sent. The mailbox shows
 * every organization's mail, reset links included, to anyone who opens it: production allows capture only
 * with ALLOW_TEST_MAILBOX_IN_PRODUCTION (lib/config/env.ts).
 */
export async function listCapturedMail(limit = 100) {
  if (!isMailCaptured()) return null;
  return withPlatform('dev-mailbox', (tx) =>
    tx.select().from(mailMessages).orderBy(desc(mailMessages.createdAt)).limit(limit),
  );
}
