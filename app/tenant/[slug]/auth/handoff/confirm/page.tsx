import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { Fragment } from 'react';
import { AuthCard } from '@/components/auth/auth-card';
import { HandoffConfirmForm } from '@/components/auth/handoff-confirm-form';
import { findHandoffToken, HANDOFF_EXPIRED_PATH } from '@/lib/auth/handoff';
import { getHostTenant } from '@/lib/tenant/resolve';

export const metadata: Metadata = { title: 'Continue signing in' };

/**
 * A sign-in link that was not followed from one of the app's own pages: it may be someone else's, sent to
 * sign the visitor into the sender's organization. Nothing is signed in until they choose to continue, and
 * showing this page does not spend the link.
 */
export default async function HandoffConfirmPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string; next?: string }>;
}) {
  const tenant = await getHostTenant();
  if (!tenant) notFound();
  const { token, next } = await searchParams;
  const account = typeof token === 'string' ? await findHandoffToken(tenant.id, token) : null;
  if (!token || !account) redirect(HANDOFF_EXPIRED_PATH);
  return (
    <AuthCard
      title={
        <>
          Continue to {tenant.name} as <BreakableEmail email={account.email} />?
        </>
      }
      subtitle="You opened a sign-in link. Continue only if you asked for it, for example by creating this organization a moment ago."
      footer={
        <>
          Not you?{' '}
          <Link href="/login" className="font-semibold text-brand-600 hover:text-brand-700">
            Sign in another way
          </Link>
        </>
      }
    >
      <HandoffConfirmForm token={token} next={typeof next === 'string' ? next : undefined} />
    </AuthCard>
  );
}

/** An email with line-break opportunities after "@" and before each ".", where a long one wraps best. */
function BreakableEmail({ email }: { email: string }) {
  let offset = 0;
  return (
    <span className="[overflow-wrap:anywhere]">
      {email.split(/(?=\.)|(?<=@)/).map((part) => {
        const start = offset;
        offset += part.length;
        return (
          <Fragment key={start}>
            {start > 0 && <wbr />}
            {part}
          </Fragment>
        );
      })}
    </span>
  );
}
