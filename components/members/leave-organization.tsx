'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { ModalDialog } from '@/components/ui/modal-dialog';
import { unwrap } from '@/lib/actions/unwrap';
import { leaveOrganization } from '@/lib/members/actions';

/** "Leave organization", confirmed first; the last owner is refused with the reason, and nothing changes. */
export function LeaveOrganization({ organizationName }: { organizationName: string }) {
  const [open, setOpen] = useState(false);
  const leave = useMutation({
    mutationFn: () => unwrap(leaveOrganization({})),
    // Every session of this membership has ended, this one included: the sign-in page is what is left.
    onSuccess: () => window.location.assign('/login'),
  });
  return (
    <>
      <Button
        type="button"
        variant="secondary"
        onClick={() => {
          leave.reset();
          setOpen(true);
        }}
      >
        Leave organization
      </Button>
      <ModalDialog open={open} title={`Leave ${organizationName}?`} onClose={() => setOpen(false)}>
        <p>
          You are signed out of {organizationName} at once and can come back only if someone invites
          you again. What you created stays, under your name.
        </p>
        {leave.error && <Alert>{leave.error.message}</Alert>}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button
            type="button"
            variant="danger"
            pending={leave.isPending}
            onClick={() => leave.mutate()}
          >
            Leave
          </Button>
        </div>
      </ModalDialog>
    </>
  );
}
