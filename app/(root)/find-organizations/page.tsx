import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthCard } from '@/components/auth/auth-card';
import { FindOrganizationsForm } from '@/components/auth/find-organizations-form';

export const metadata: Metadata = { title: 'Find my organizations' };

export default function FindOrganizationsPage() {
  return (
    <AuthCard
      title="Find your organizations"
      subtitle="Forgot your organization’s address? Enter your email and we will send you a sign-in link to each organization you belong to."
      footer={
        <Link href="/login" className="font-semibold text-brand-600 hover:text-brand-700">
          ← Back to sign in
        </Link>
      }
    >
      <FindOrganizationsForm />
    </AuthCard>
  );
}
