import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { LoginForm } from '@/components/auth/login-form';
import { safeNextPath } from '@/lib/auth/open-session';
import { getCurrentMember } from '@/lib/auth/session';
import { getEnv } from '@/lib/config/env';
import { rootOrigin } from '@/lib/tenant/host';
import { getHostTenant } from '@/lib/tenant/resolve';

export const metadata: Metadata = { title: 'Sign in' };

export default async function TenantLoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string; error?: string }>;
}) {
  const tenant = await getHostTenant();
  if (!tenant) notFound();
  const { next, error } = await searchParams;
  if (await getCurrentMember()) redirect('/');
  const env = getEnv();
  return (
    <AuthCard
      title={`Sign in to ${tenant.name}`}
      subtitle={
        error ? (
          <span className="text-red-700">
            That sign-in link has expired or was already used. Please sign in below.
          </span>
        ) : (
          'Use the email and password of your account.'
        )
      }
      footer={
        <>
          Not your organization?{' '}
          <Link
            href={`${rootOrigin(env.rootDomain, env.protocol)}/login`}
            className="font-semibold text-brand-600 hover:text-brand-700"
          >
            Find yours
          </Link>
        </>
      }
    >
      <LoginForm next={typeof next === 'string' ? safeNextPath(next, tenant) : undefined} />
      {tenant.allowedEmailDomains.length > 0 && (
        <p className="mt-5 border-t border-slate-100 pt-5 text-center text-sm text-slate-600">
          New here?{' '}
          <Link href="/join" className="font-semibold text-brand-600 hover:text-brand-700">
            Join {tenant.name}
          </Link>
        </p>
      )}
    </AuthCard>
  );
}
