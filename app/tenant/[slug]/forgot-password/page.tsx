import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ForgotPasswordForm } from '@/components/account/token-action-form';
import { AuthCard } from '@/components/auth/auth-card';
import { getHostTenant } from '@/lib/tenant/resolve';

export const metadata: Metadata = { title: 'Reset your password' };

export default async function ForgotPasswordPage() {
  const tenant = await getHostTenant();
  if (!tenant) notFound();
  return (
    <AuthCard
      title="Reset your password"
      subtitle={`Enter the email of your account at ${tenant.name}; we will send you a link.`}
      footer={
        <Link href="/login" className="font-semibold text-brand-600 hover:text-brand-700">
          ← Back to sign in
        </Link>
      }
    >
      <ForgotPasswordForm />
    </AuthCard>
  );
}
