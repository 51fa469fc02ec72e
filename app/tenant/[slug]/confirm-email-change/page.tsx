import type { Metadata } from 'next';
import { TokenLanding } from '@/components/account/token-landing';

export const metadata: Metadata = { title: 'Confirm your new email address' };

export default function ConfirmEmailChangePage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string }>;
}) {
  return (
    <TokenLanding
      title="Confirm your new email address"
      kind="email-change"
      searchParams={searchParams}
    />
  );
}
