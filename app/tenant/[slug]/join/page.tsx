import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { JoinRequestForm } from '@/components/invitations/join-request-form';
import { Alert } from '@/components/ui/card';
import { getCurrentMember } from '@/lib/auth/session';
import { getHostTenant } from '@/lib/tenant/resolve';

export const metadata: Metadata = { title: 'Join' };

/**
 * "Join <organization>" from its sign-in page, for people with an address at one of its allowed domains:
 * the domains are named here (they are why the link exists), and nothing is created until the emailed link
 * proves the address.
 */
export default async function JoinPage() {
  const tenant = await getHostTenant();
  if (!tenant) notFound();
  const member = await getCurrentMember();
  const domains = tenant.allowedEmailDomains;
  const back = (
    <Link href="/login" className="font-semibold text-brand-600 hover:text-brand-700">
      Back to sign in
    </Link>
  );
  if (member) {
    return (
      <AuthCard title={`Join ${tenant.name}`}>
        <Alert tone="info">
          You are already a member of {tenant.name}, signed in as {member.email}.
        </Alert>
      </AuthCard>
    );
  }
  if (domains.length === 0) {
    return (
      <AuthCard title={`Join ${tenant.name}`} footer={back}>
        <Alert>
          {tenant.name} does not let people join without an invitation. Ask one of its admins to
          invite you.
        </Alert>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title={`Join ${tenant.name}`}
      subtitle={`People with an email address at ${domains.join(', ')} can join without an invitation. We send a link to your address to confirm it is yours.`}
      footer={back}
    >
      <JoinRequestForm />
    </AuthCard>
  );
}
