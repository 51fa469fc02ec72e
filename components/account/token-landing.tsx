import { notFound } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { getHostTenant } from '@/lib/tenant/resolve';
import { TokenConfirmForm } from './token-action-form';

/** The page an emailed link opens on the tenant's host: the tenant's name and a confirm button. */
export async function TokenLanding({
  title,
  kind,
  searchParams,
}: {
  title: string;
  kind: 'verify-email' | 'unlock' | 'email-change';
  searchParams: Promise<{ token?: string }>;
}) {
  const tenant = await getHostTenant();
  if (!tenant) notFound();
  const { token = '' } = await searchParams;
  return (
    <AuthCard title={title} subtitle={`For your account at ${tenant.name}.`}>
      <TokenConfirmForm kind={kind} token={token} />
    </AuthCard>
  );
}
