import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { type MembershipStatus, memberships, type Role, type Tenant, users } from '@/db/schema';
import { withPlatform } from '@/db/with-platform';
import { withTenant } from '@/db/with-tenant';
import { actAsUser } from '@/lib/account/email-tokens';
import type { AuditEntry } from '@/lib/actions/tenant-action';
import { recordAudit } from '@/lib/audit/record';
import { issueHandoffToken } from '@/lib/auth/handoff';
import { openSession } from '@/lib/auth/open-session';
import { getCurrentMember } from '@/lib/auth/session';
import { AppError } from '@/lib/errors/app-error';
import { uniqueViolation } from '@/lib/errors/postgres';
import {
  publishEvents,
  type RealtimeEvent,
  type RecordedEvent,
  recordEvents,
} from '@/lib/realtime/outbox';
import { spendSecondFactor } from '@/lib/two-factor/store';
import { countJoinFailure, type Joiner, type JoinReason } from './joiner';

export type Joined = {
  userId: string;
  role: Role;
  /** The membership this person had before, if any: `active` means nothing changed. */
  previousStatus: MembershipStatus | null;
  newAccount: boolean;
};

export type JoinSpec<C extends { role: Role }> = {
  tenant: Tenant;
  email: string;
  joiner: Joiner;
  reason: JoinReason;
  meta: { ip: string | null; userAgent: string | null };
  /** Spends the link in the joining transaction; null when it is no longer good (used, expired, revoked). */
  claim: (tx: Transaction) => Promise<C | null>;
  /** What the link says when `claim` finds it no longer good. */
  goneMessage: string;
  /** A person whose membership was deactivated or removed: an invitation brings them back, a domain does not. */
  rejoin: 'reactivate' | 'refuse';
  /** The audit entry and events of the join, written in its transaction. */
  record: (
    tx: Transaction,
    joined: Joined,
    claimed: C,
  ) => Promise<{ audit: AuditEntry; events: RealtimeEvent[] }>;
};

/** A wrong code of the second factor, thrown inside the joining transaction so that it rolls back. */
class WrongSecondFactor extends Error {}

export const INVALID_CODE =
  'This code is not valid. Enter the current code from your authenticator app, or an unused recovery code.';

/**
 * Someone signed in on this host is a member already: joining as another address would change nothing for
 * them and something for someone else, so it is refused and nothing changes.
 */
export async function refuseOtherSignedInAccount(email: string) {
  const member = await getCurrentMember();
  if (member && member.email.toLowerCase() !== email) {
    throw new AppError(
      'conflict',
      `You are signed in as ${member.email}, but this link is for ${email}. Sign out, then open the link again.`,
    );
  }
}

/**
 * A new person's account, on the platform path (no tenant context can insert a user). It commits on its own,
 * while the joining transaction holds the link's row lock, so a concurrent use of the same link waits and
 * then finds it spent. Should the joining transaction still fail, the account stays without a membership,
 * and the person signs in to it with the password they just chose when they try again.
 */
async function createAccount(reason: JoinReason, email: string, joiner: Joiner & { kind: 'new' }) {
  try {
    const [row] = await withPlatform(reason, (tx) =>
      tx
        .insert(users)
        .values({ email, name: joiner.name, passwordHash: joiner.passwordHash })
        .returning({ id: users.id }),
    );
    return row!.id;
  } catch (error) {
    if (uniqueViolation(error) === 'users_email_key') {
      throw new AppError(
        'conflict',
        `An account with ${email} was created meanwhile. Reload this page and sign in with its password.`,
      );
    }
    throw error;
  }
}

/** Makes `userId` an active member with `role`, or says why not. Returns the previous status and the role. */
async function makeMember(
  tx: Transaction,
  spec: Pick<JoinSpec<{ role: Role }>, 'tenant' | 'rejoin'>,
  userId: string,
  role: Role,
): Promise<{ previousStatus: MembershipStatus | null; role: Role }> {
  const tenantId = spec.tenant.id;
  const where = and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId));
  const [previous] = await tx
    .select({ status: memberships.status, role: memberships.role })
    .from(memberships)
    .where(where)
    .for('update');
  if (!previous) {
    await tx.insert(memberships).values({ tenantId, userId, role });
    return { previousStatus: null, role };
  }
  if (previous.status === 'active') return { previousStatus: 'active', role: previous.role };
  if (spec.rejoin === 'refuse') {
    throw new AppError(
      'forbidden',
      `Your membership in ${spec.tenant.name} was ended by an admin. Ask them for an invitation to come back.`,
    );
  }
  await tx
    .update(memberships)
    .set({
      role,
      status: 'active',
      version: sql`${memberships.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(where);
  return { previousStatus: previous.status, role };
}

/**
 * The second half of joining, in one transaction of the tenant: the link is spent, the membership made (or
 * brought back), the address marked verified (the link proved it), the join audited and announced, and a
 * handoff issued; then the session opens on this host. Any failure leaves the link unspent and nothing
 * changed (but see `createAccount`).
 */
export async function joinOrganization<C extends { role: Role }>(
  spec: JoinSpec<C>,
): Promise<{ userId: string }> {
  const tenantId = spec.tenant.id;
  const { joiner } = spec;
  let outcome: { userId: string; handoffToken: string; recorded: RecordedEvent[] };
  try {
    outcome = await withTenant({ tenantId, userId: null }, async (tx) => {
      const claimed = await spec.claim(tx);
      if (!claimed) throw new AppError('not_found', spec.goneMessage);
      const userId =
        joiner.kind === 'existing'
          ? joiner.userId
          : await createAccount(spec.reason, spec.email, joiner);
      await actAsUser(tx, userId);
      if (joiner.kind === 'existing' && joiner.code !== null) {
        if (!(await spendSecondFactor(tx, userId, joiner.code))) throw new WrongSecondFactor();
      }
      const { previousStatus, role } = await makeMember(tx, spec, userId, claimed.role);
      await tx
        .update(users)
        .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
        .where(eq(users.id, userId));
      const joined = { userId, role, previousStatus, newAccount: joiner.kind === 'new' };
      const { audit, events } = await spec.record(tx, joined, claimed);
      await recordAudit(tx, { ...audit, tenantId, actorUserId: userId, ...spec.meta });
      const recorded = await recordEvents(tx, tenantId, events);
      return { userId, recorded, handoffToken: await issueHandoffToken(tx, tenantId, userId) };
    });
  } catch (error) {
    if (!(error instanceof WrongSecondFactor)) throw error;
    await countJoinFailure(spec.tenant, spec.email, spec.meta.ip);
    throw new AppError('invalid', INVALID_CODE, { fieldErrors: { code: INVALID_CODE } });
  }
  await publishEvents({ tenantId, userId: outcome.userId }, outcome.recorded);
  await openSession(outcome.handoffToken);
  return { userId: outcome.userId };
}

/** Everyone in the organization may learn that someone joined, by id and role: never their address. */
export const memberJoinedEvent = (joined: Joined): RealtimeEvent => ({
  name: 'member.joined',
  payload: { userId: joined.userId, role: joined.role },
});
