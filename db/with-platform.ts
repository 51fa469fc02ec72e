import 'server-only';
import { databaseLogger, platformConnection, type Transaction } from './client';
import { runTransaction } from './transaction';

/** Every reason the application has to cross tenants; a new one is a visible change in review. */
export type PlatformReason =
  | 'resolve-tenant-host'
  | 'signup'
  | 'slug-availability'
  | 'rate-limit'
  | 'mail-capture'
  | 'dev-mailbox'
  | 'revoke-user-sessions'
  // A handoff made from a signed-in session is redeemed only while that session, perhaps in another
  // organization, is still live (lib/auth/handoff.ts).
  | 'handoff-source-session'
  // The outbox sweeper finds unpublished events of every tenant and marks them published (nothing else).
  | 'outbox-sweep'
  // Job counts per queue, through a function that returns nothing else (lib/jobs/stats.ts).
  | 'queue-stats'
  // Each process adds its per-tenant request, write and event counts to today's rows (nothing else).
  | 'usage-counters'
  // /api/metrics reads today's busiest tenants, for the operator who scrapes it.
  | 'usage-report'
  // Someone who is not a member yet asks to join an organization that allows their email domain: they are
  // invisible in its RLS context until they have joined (lib/invitations/join-by-domain.ts).
  | 'join-by-domain'
  // Accepting an invitation: the invited address's account, if any, is not a member yet and so invisible in
  // the tenant's RLS context; a new one is created here (lib/invitations/joining.ts).
  | 'join-by-invitation'
  // A signed-in user creates another organization from the switcher: the sign-up path, with their session
  // standing in for the password (lib/my-organizations/create.ts).
  | 'organization-from-switcher'
  // "Find my organizations" on the root host: the active organizations of one address, mailed to it and
  // never shown in the answer (lib/my-organizations/find.ts).
  | 'find-organizations';

/**
 * The cross-tenant path: sign-up and the host → tenant lookup. It runs as the platform role, which is not
 * BYPASSRLS either and reaches only the rows that policies written TO it allow (never a tenant's projects,
 * sessions or audit trail). The reason is a required argument so each call site states why it may cross,
 * and every use is logged with it, so an operator can see when and why the app crossed tenants.
 */
export async function withPlatform<T>(
  reason: PlatformReason,
  fn: (tx: Transaction) => Promise<T>,
): Promise<T> {
  logPlatformUse(reason);
  return runTransaction(platformConnection().sql, null, fn);
}

/** One log line per use, in the app's structured logs. */
function logPlatformUse(reason: PlatformReason) {
  databaseLogger().info({ reason }, 'platform access');
}
