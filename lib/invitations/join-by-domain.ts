import 'server-only';
import { eq } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { type Role, type Tenant, tenants } from '@/db/schema';
import { withPlatform } from '@/db/with-platform';
import { withTenant } from '@/db/with-tenant';
import { tenantLink } from '@/lib/account/links';
import { AppError } from '@/lib/errors/app-error';
import { getRequestMeta } from '@/lib/http/request-meta';
import { queueMail } from '@/lib/mail/queue-mail';
import { joinLinkMessage } from '@/lib/mail/templates';
import { consumeRateLimit } from '@/lib/rate-limit/limit';
import { getHostTenantOrThrow } from '@/lib/tenant/resolve';
import { issueToken, redeemToken } from '@/lib/tokens/single-use';
import type { JoinAnswer } from './accept';
import { checkJoiner } from './joiner';
import { joinOrganization, memberJoinedEvent, refuseOtherSignedInAccount } from './joining';
import { JOIN_LIMITS } from './limits';
import { describeJoinLink } from './links';
import type { JoinInput } from './schemas';

export const JOIN_COMPLETE_PATH = '/join/complete';

export const JOIN_LINK_GONE =
  'This join link has expired or was already used. Ask for a new one from the sign-in page.';

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1);

/** The organization's allowed domains, listed for a message: "acme.com or acme.org". */
function listDomains(domains: string[]) {
  return domains.length <= 1
    ? (domains[0] ?? '')
    : `${domains.slice(0, -1).join(', ')} or ${domains.at(-1)}`;
}

function domainRefusal(tenant: Pick<Tenant, 'name' | 'allowedEmailDomains'>) {
  return tenant.allowedEmailDomains.length === 0
    ? `${tenant.name} does not let people join without an invitation. Ask one of its admins to invite you.`
    : `Only addresses at ${listDomains(tenant.allowedEmailDomains)} can join ${tenant.name} without an invitation. Ask one of its admins to invite you.`;
}

function refuseDomain(tenant: Pick<Tenant, 'name' | 'allowedEmailDomains'>) {
  const message = domainRefusal(tenant);
  return new AppError('invalid', message, { fieldErrors: { email: message } });
}

/** The platform role's insert policy refused the token: the domain left the list since the host was cached. */
const isPolicyRefusal = (error: unknown) => {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: string }).code === '42501') return true;
  }
  return false;
};

/**
 * POST /api/join on the organization's host: mails a join link to an address at one of its allowed domains.
 *
 * The domain list is not a secret here: the "Join <organization>" link that starts this path is on its
 * sign-in page only because the list exists, and the page names the domains so people know whether to
 * try. So an address at another domain gets a plain refusal next to the field. What stays unsaid is
 * whether the address has an account or is a member already: at an allowed domain the answer is always
 * "check your inbox", and nothing exists until the link proves the address.
 *
 * The token is issued on the platform path ('join-by-domain'), whose policy re-checks the domain in the
 * database; the mail is queued in the tenant's context, like any mail of the organization.
 */
export async function requestJoinLink({ email }: { email: string }): Promise<{ sent: true }> {
  const tenant = await getHostTenantOrThrow();
  const { ip } = await getRequestMeta();
  await consumeRateLimit(JOIN_LIMITS.requestPerIp, ip ?? 'unknown');
  if (!tenant.allowedEmailDomains.includes(domainOf(email))) throw refuseDomain(tenant);
  await consumeRateLimit(JOIN_LIMITS.requestPerAddress, `${tenant.id}:${email}`);
  let token: string;
  try {
    token = await withPlatform('join-by-domain', (tx) =>
      issueToken(tx, { tenantId: tenant.id, purpose: 'join_domain', email }),
    );
  } catch (error) {
    if (isPolicyRefusal(error)) throw refuseDomain({ ...tenant, allowedEmailDomains: [] });
    throw error;
  }
  await withTenant({ tenantId: tenant.id, userId: null }, (tx) =>
    queueMail(
      tx,
      tenant.id,
      joinLinkMessage(email, {
        organization: tenant.name,
        url: tenantLink(tenant.slug, JOIN_COMPLETE_PATH, token),
      }),
    ),
  );
  return { sent: true };
}

/**
 * Spends the join link, if it is still good and its domain still allowed, and answers with the role people
 * who join this way get: the organization's default role, read in the same transaction.
 */
async function claimJoinLink(
  tx: Transaction,
  tenant: Tenant,
  token: string,
  email: string,
): Promise<{ role: Role } | null> {
  const live = await redeemToken(tx, { tenantId: tenant.id, purpose: 'join_domain', token });
  if (live?.email !== email) return null;
  const [settings] = await tx
    .select({ role: tenants.defaultRole, domains: tenants.allowedEmailDomains })
    .from(tenants)
    .where(eq(tenants.id, tenant.id));
  if (!settings?.domains.includes(domainOf(email))) {
    const domains = settings?.domains ?? [];
    throw new AppError(
      'forbidden',
      domainRefusal({ name: tenant.name, allowedEmailDomains: domains }),
    );
  }
  return { role: settings.role };
}

/**
 * POST /api/join/complete: the join link proved the address; its account signs in (password, then second
 * factor) or a new person chooses a name and password, and joins with the default role. A deactivated or
 * removed member cannot come back this way: an admin ended that membership, so it takes an invitation.
 */
export async function completeJoin(input: JoinInput): Promise<JoinAnswer> {
  const tenant = await getHostTenantOrThrow();
  const meta = await getRequestMeta();
  const link = await describeJoinLink(tenant.id, input.token);
  if (!link) throw new AppError('not_found', JOIN_LINK_GONE);
  await refuseOtherSignedInAccount(link.email);
  const joiner = await checkJoiner({
    tenant,
    email: link.email,
    input,
    reason: 'join-by-domain',
    ip: meta.ip,
  });
  if ('secondFactor' in joiner) return joiner;
  await joinOrganization({
    tenant,
    email: link.email,
    joiner,
    reason: 'join-by-domain',
    meta,
    claim: (tx) => claimJoinLink(tx, tenant, input.token, link.email),
    goneMessage: JOIN_LINK_GONE,
    rejoin: 'refuse',
    record: async (_tx, joined) => ({
      audit: {
        action:
          joined.previousStatus === 'active' ? 'member.signed_in_by_join_link' : 'member.joined',
        targetType: 'member',
        targetId: joined.userId,
        metadata: {
          method: 'email_domain',
          email: link.email,
          role: joined.role,
          newAccount: joined.newAccount,
        },
      },
      events: joined.previousStatus === 'active' ? [] : [memberJoinedEvent(joined)],
    }),
  });
  return { redirectTo: '/' };
}
