import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { JoinForm } from '@/components/invitations/join-form';
import { SignedInElsewhere } from '@/components/invitations/signed-in-elsewhere';
import { Alert } from '@/components/ui/card';
import { getCurrentMember } from '@/lib/auth/session';
import { describeInvitationLink } from '@/lib/invitations/links';
import { getHostTenant } from '@/lib/tenant/resolve';

export const metadata: Metadata = { title: 'Accept invitation' };

const ROLE_NAMES = { owner: 'an owner', admin: 'an admin', member: 'a member', viewer: 'a viewer' };

/**
 * An invitation link's landing page on the organization's host: who invites whom, with which role, before
 * anything happens (opening the page spends nothing); or why the link no longer works.
 */
export default async function AcceptInvitationPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string }>;
}) {
  const tenant = await getHostTenant();
  if (!tenant) notFound();
  const { token = '' } = await searchParams;
  const [link, member] = await Promise.all([
    describeInvitationLink(tenant, token),
    getCurrentMember(),
  ]);
  if (link.state !== 'live') {
    return (
      <AuthCard title={`Join ${tenant.name}`}>
        <div className="space-y-4">
          <Alert>{link.message}</Alert>
          <Link
            href="/login"
            className="inline-block text-sm font-semibold text-brand-600 hover:text-brand-700"
          >
            Go to the sign-in page →
          </Link>
        </div>
      </AuthCard>
    );
  }
  const intro = `${link.inviterName} invited ${link.email} to join ${tenant.name} as ${ROLE_NAMES[link.role]}.`;
  if (member && member.email.toLowerCase() !== link.email) {
    return (
      <AuthCard title={`Join ${tenant.name}`} subtitle={intro}>
        <SignedInElsewhere signedInAs={member.email} invited={link.email} />
      </AuthCard>
    );
  }
  if (member) {
    return (
      <AuthCard title={`Join ${tenant.name}`} subtitle={intro}>
        <div className="space-y-4">
          <Alert tone="info">You are already a member of {tenant.name}.</Alert>
          <Link
            href="/"
            className="inline-block text-sm font-semibold text-brand-600 hover:text-brand-700"
          >
            Go to your dashboard →
          </Link>
        </div>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title={`Join ${tenant.name}`}
      subtitle={
        <>
          {intro}{' '}
          {link.hasAccount
            ? 'Sign in with your account to accept.'
            : 'Choose your name and a password to accept.'}
        </>
      }
    >
      <JoinForm
        endpoint="/api/invitations/accept"
        token={token}
        email={link.email}
        hasAccount={link.hasAccount}
        action="Accept and join"
      />
    </AuthCard>
  );
}
