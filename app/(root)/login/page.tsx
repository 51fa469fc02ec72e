import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthCard } from '@/components/auth/auth-card';
import { OrganizationAddressForm } from '@/components/auth/organization-address-form';
import { getEnv } from '@/lib/config/env';

export const metadata: Metadata = { title: 'Sign in' };

export default function RootLoginPage() {
  return (
    <AuthCard
      title="Sign in to your organization"
      subtitle="Each organization signs in at its own address. Enter yours and we will take you there."
      footer={
        <>
          New here?{' '}
          <Link href="/signup" className="font-semibold text-brand-600 hover:text-brand-700">
            Create an organization
          </Link>
        </>
      }
    >
      <OrganizationAddressForm rootDomain={getEnv().rootDomain} />
      <p className="mt-5 text-center text-sm text-slate-600">
        Forgot the address?{' '}
        <Link
          href="/find-organizations"
          className="font-semibold text-brand-600 hover:text-brand-700"
        >
          Find my organizations
        </Link>
      </p>
    </AuthCard>
  );
}
