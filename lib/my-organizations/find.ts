import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, asc, eq, sql } from 'drizzle-orm';
import { memberships, tenants, users } from '@/db/schema';
import { withPlatform } from '@/db/with-platform';
import { withTenant } from '@/db/with-tenant';
import { tenantLink } from '@/lib/account/links';
import { recordAudit } from '@/lib/audit/record';
import { getRequestMeta } from '@/lib/http/request-meta';
import { queueMail } from '@/lib/mail/queue-mail';
import { organizationSignInMessage } from '@/lib/mail/templates';
import { consumeRateLimit, LIMITS } from '@/lib/rate-limit/limit';

/**
 * Every answer takes at least this long, found or not: the work for a known address (a transaction per
 * organization) is a few milliseconds, far inside it, so the time of an answer does not tell either.
 */
export const FIND_ANSWER_MS = 400;
/** More memberships than anyone has; a bound on the mail one request can send. */
const MAX_ORGANIZATIONS = 25;

/**
 * POST /api/find-organizations on the root host: mails the person at `email` a sign-in link to each of their
 * organizations. The answer says nothing about the address, in its words or its timing; only the mailbox
 * learns anything. Only an active account's active memberships of active organizations count.
 *
 * Mail goes through each organization's own queue: one message per organization, written in that tenant's
 * transaction with its audit entry, so no tenant's mail rows ever hold another organization's name (which
 * one message listing them all, stored under one of them, would) and the delivery job, its retries and the
 * development mailbox work as for any other mail. The lookup that spans organizations runs on the platform
 * path, whose policies show it only which tenant an address is an active member of.
 */
export async function findMyOrganizations({ email }: { email: string }): Promise<{ done: true }> {
  const started = performance.now();
  const { ip } = await getRequestMeta();
  // The budgets answer alike for every address: they count requests, not what was found.
  await consumeRateLimit(LIMITS.findOrganizationsPerIp, ip ?? 'unknown');
  await consumeRateLimit(LIMITS.findOrganizationsPerEmail, email);
  const found = await withPlatform('find-organizations', (tx) =>
    tx
      .select({
        userId: users.id,
        addressConfirmed: sql<boolean>`${users.emailVerifiedAt} is not null`,
        tenantId: tenants.id,
        slug: tenants.slug,
        name: tenants.name,
      })
      .from(users)
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .where(
        and(
          eq(sql`lower(${users.email})`, email),
          eq(users.status, 'active'),
          eq(memberships.status, 'active'),
          eq(tenants.status, 'active'),
        ),
      )
      .orderBy(asc(tenants.name), asc(tenants.slug))
      .limit(MAX_ORGANIZATIONS),
  );
  for (const org of found) {
    await withTenant({ tenantId: org.tenantId, userId: null }, async (tx) => {
      await recordAudit(tx, {
        tenantId: org.tenantId,
        actorUserId: org.userId,
        action: 'user.organizations_requested',
        targetType: 'user',
        targetId: org.userId,
        ip,
      });
      await queueMail(
        tx,
        org.tenantId,
        organizationSignInMessage(email, {
          organization: org.name,
          url: tenantLink(org.slug, '/login'),
          addressConfirmed: org.addressConfirmed,
        }),
      );
    });
  }
  const rest = FIND_ANSWER_MS - (performance.now() - started);
  if (rest > 0) await sleep(rest);
  return { done: true };
}
