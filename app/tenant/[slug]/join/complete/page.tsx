import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { JoinForm } from '@/components/invitations/join-form';
import { SignedInElsewhere } from '@/components/invitations/signed-in-elsewhere';
import { Alert } from '@/components/ui/card';
import { getCurrentMember } from '@/lib/auth/session';
import { JOIN_LINK_GONE } from '@/lib/invitations/join-by-domain';
import { describeJoinLink } from '@/lib/invitations/links';
import { getHostTenant } from '@/lib/tenant/resolve';

export const metadata: Metadata = { title: 'Join' };

/** Where the emailed join link lands: the address is proven; sign in, or choose a name and password. */
export default async function CompleteJoinPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string }>;
}) {
  const tenant = await getHostTenant();
  if (!tenant) notFound();
  const { token = '' } = await searchParams;
  const [link, member] = await Promise.all([
    describeJoinLink(tenant.id, token),
    getCurrentMember(),
  ]);
  if (!link) {
    return (
      <AuthCard title={`Join ${tenant.name}`}>
        <div className="space-y-4">
          <Alert>{JOIN_LINK_GONE}</Alert>
          <Link
            href="/join"
            className="inline-block text-sm font-semibold text-brand-600 hover:text-brand-700"
          >
            Ask for a new link →
          </Link>
        </div>
      </AuthCard>
    );
  }
  if (member && member.email.toLowerCase() !== link.email) {
    return (
      <AuthCard title={`Join ${tenant.name}`}>
        <SignedInElsewhere signedInAs={member.email} invited={link.email} />
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title={`Join ${tenant.name}`}
      subtitle={
        link.hasAccount
          ? `${link.email} is confirmed. Sign in with your account to join.`
          : `${link.email} is confirmed. Choose your name and a password to join.`
      }
    >
      <JoinForm
        endpoint="/api/join/complete"
        token={token}
        email={link.email}
        hasAccount={link.hasAccount}
        action="Join"
      />
    </AuthCard>
  );
}
