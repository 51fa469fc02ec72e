'use client';

import { useMutation } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import { unwrap } from '@/lib/actions/unwrap';
import { resendInvitation, revokeInvitation } from '@/lib/invitations/actions';

/**
 * Resend and revoke for one pending invitation, each with its pending state; a refusal (the resend limit,
 * a change made meanwhile) shows beside the buttons. Either answers with the list re-rendered.
 */
export function InvitationActions({
  id,
  version,
  email,
}: {
  id: string;
  version: number;
  email: string;
}) {
  const resend = useMutation({
    mutationFn: () => unwrap(resendInvitation({ id, version })),
  });
  const revoke = useMutation({
    mutationFn: () => unwrap(revokeInvitation({ id, version })),
  });
  const error = resend.error ?? revoke.error;
  const busy = resend.isPending || revoke.isPending;
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex gap-2">
        <Button
          variant="secondary"
          pending={resend.isPending}
          disabled={busy}
          aria-label={`Resend the invitation to ${email}`}
          onClick={() => resend.mutate()}
        >
          {resend.isSuccess ? 'Sent' : 'Resend'}
        </Button>
        <Button
          variant="danger"
          pending={revoke.isPending}
          disabled={busy}
          aria-label={`Revoke the invitation to ${email}`}
          onClick={() => revoke.mutate()}
        >
          Revoke
        </Button>
      </div>
      {error && (
        <p role="alert" className="max-w-56 text-right text-xs font-medium text-red-600">
          {error.message}
        </p>
      )}
    </div>
  );
}
