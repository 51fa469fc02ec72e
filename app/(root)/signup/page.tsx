import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthCard } from '@/components/auth/auth-card';
import { SignupForm } from '@/components/signup/signup-form';
import { getEnv } from '@/lib/config/env';

export const metadata: Metadata = { title: 'Create your organization' };

export default function SignupPage() {
  return (
    <AuthCard
      title="Create your organization"
      subtitle="Your team gets its own address and its own private workspace."
      footer={
        <>
          Already have an organization?{' '}
          <Link href="/login" className="font-semibold text-brand-600 hover:text-brand-700">
            Sign in
          </Link>
        </>
      }
    >
      <SignupForm rootDomain={getEnv().rootDomain} />
    </AuthCard>
  );
}
