'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { unwrap } from '@/lib/actions/unwrap';
import { setTwoFactorRequirement } from '@/lib/two-factor/actions';

/** Owners only: require two-factor sign-in of every member of the organization. */
export function TwoFactorRequirement({
  organization,
  required,
  ownTwoFactor,
}: {
  organization: string;
  required: boolean;
  ownTwoFactor: boolean;
}) {
  const router = useRouter();
  const change = useMutation({
    mutationFn: (next: boolean) => unwrap(setTwoFactorRequirement({ required: next })),
    onSuccess: () => router.refresh(),
  });
  return (
    <div className="max-w-2xl space-y-4">
      <p className="text-sm text-slate-700">
        {required
          ? `Every member of ${organization} must use two-factor authentication. Members without it are asked to set it up before they can use anything else.`
          : `Members of ${organization} choose for themselves whether to use two-factor authentication.`}
      </p>
      {change.error && <Alert>{change.error.message}</Alert>}
      {!required && !ownTwoFactor && (
        <p className="text-sm text-amber-800">
          Turn on two-factor authentication for your own account first (above), then require it for
          everyone.
        </p>
      )}
      <Button
        variant={required ? 'secondary' : 'primary'}
        disabled={!required && !ownTwoFactor}
        pending={change.isPending}
        onClick={() => change.mutate(!required)}
      >
        {required
          ? 'Stop requiring two-factor authentication'
          : 'Require two-factor authentication'}
      </Button>
    </div>
  );
}
