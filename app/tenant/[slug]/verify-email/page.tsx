import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ConfirmEmailForm } from '@/components/account/token-action-form';
import { AuthCard } from '@/components/auth/auth-card';
import { getHostTenant } from '@/lib/tenant/resolve';

export const metadata: Metadata = { title: 'Confirm your email address' };

export default async function VerifyEmailPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string }>;
}) {
  const tenant = await getHostTenant();
  if (!tenant) notFound();
  const { token = '' } = await searchParams;
  return (
    <AuthCard title="Confirm your email address" subtitle={`For your account at ${tenant.name}.`}>
      <ConfirmEmailForm token={token} />
    </AuthCard>
  );
}
