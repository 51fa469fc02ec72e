import type { Metadata } from 'next';
import { TokenLanding } from '@/components/account/token-landing';

export const metadata: Metadata = { title: 'Unlock your account' };

export default function UnlockPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string }>;
}) {
  return <TokenLanding title="Unlock your account" kind="unlock" searchParams={searchParams} />;
}
