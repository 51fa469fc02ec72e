import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ResetPasswordForm } from '@/components/account/token-action-form';
import { AuthCard } from '@/components/auth/auth-card';
import { getHostTenant } from '@/lib/tenant/resolve';

export const metadata: Metadata = { title: 'Choose a new password' };

export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string }>;
}) {
  const tenant = await getHostTenant();
  if (!tenant) notFound();
  const { token = '' } = await searchParams;
  return (
    <AuthCard title="Choose a new password" subtitle={`For your account at ${tenant.name}.`}>
      <ResetPasswordForm token={token} />
    </AuthCard>
  );
}
