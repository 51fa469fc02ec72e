import type { Metadata } from 'next';
import { TokenLanding } from '@/components/account/token-landing';

export const metadata: Metadata = { title: 'Confirm your email address' };

export default function VerifyEmailPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string }>;
}) {
  return (
    <TokenLanding
      title="Confirm your email address"
      kind="verify-email"
      searchParams={searchParams}
    />
  );
}
