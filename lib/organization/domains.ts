import 'server-only';
import type { Transaction } from '@/db/client';
import { AppError } from '@/lib/errors/app-error';
import { isPublicEmailDomain } from './public-email-domains';
import { verifiedDomainOf } from './queries';

const refuse = (message: string) =>
  new AppError('invalid', 'Please correct the highlighted fields.', {
    fieldErrors: { allowedEmailDomains: message },
  });

/**
 * People with a verified address at an allowed domain join without an invitation, so an owner may add only
 * a domain they have proven they belong to: the domain of their own confirmed address, and never a public
 * mail provider's. Domains already listed (another owner's) may stay.
 */
export async function assertDomainsAllowed(
  tx: Transaction,
  p: { userId: string; before: string[]; after: string[] },
) {
  const added = p.after.filter((d) => !p.before.includes(d));
  if (added.length === 0) return;
  const publicOne = added.find(isPublicEmailDomain);
  if (publicOne) {
    throw refuse(
      `${publicOne} is a public mail provider: anyone could join. List your organization’s own domain.`,
    );
  }
  const mine = await verifiedDomainOf(tx, p.userId);
  const foreign = added.find((d) => d !== mine);
  if (foreign) {
    throw refuse(
      mine
        ? `You can add only ${mine}, the domain of your own confirmed address (not ${foreign}).`
        : 'Confirm your own email address first: you can add only the domain of your confirmed address.',
    );
  }
}
