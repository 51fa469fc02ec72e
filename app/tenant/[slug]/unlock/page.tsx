import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { UnlockForm } from '@/components/account/token-action-form';
import { AuthCard } from '@/components/auth/auth-card';
import { getHostTenant } from '@/lib/tenant/resolve';

export const metadata: Metadata = { title: 'Unlock your account' };

export default async function UnlockPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string }>;
}) {
  const tenant = await getHostTenant();
  if (!tenant) notFound();
  const { token = '' } = await searchParams;
  return (
    <AuthCard
      title="Unlock your account"
      subtitle={`Sign-in at ${tenant.name} was locked after failed attempts.`}
    >
      <UnlockForm token={token} />
    </AuthCard>
  );
}
