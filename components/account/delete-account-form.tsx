'use client';

import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { useMutationForm } from '@/components/ui/use-mutation-form';
import { deleteAccount } from '@/lib/account/delete-account';

/**
 * Deleting one's account, behind a first click that explains what it does and the password. Once deleted
 * the session has ended, so the browser leaves for the sign-in page.
 */
export function DeleteAccountForm({ email }: { email: string }) {
  const [open, setOpen] = useState(false);
  const { form, mutation, errors, formError, onSubmit } = useMutationForm(deleteAccount);
  useEffect(() => {
    if (mutation.isSuccess) window.location.assign('/login');
  }, [mutation.isSuccess]);
  if (mutation.isSuccess) {
    return <Alert tone="info">Your account was deleted. Goodbye.</Alert>;
  }
  if (!open) {
    return (
      <Button variant="danger" type="button" onClick={() => setOpen(true)}>
        Delete my account…
      </Button>
    );
  }
  return (
    <form ref={form} noValidate className="max-w-md space-y-5" onSubmit={onSubmit}>
      <Alert>
        This deletes the account of {email} for good: you leave every organization you belong to and
        are signed out everywhere. What you created stays, shown as by “Deleted user”.
      </Alert>
      {formError && <Alert>{formError}</Alert>}
      <Field
        label="Your password"
        name="password"
        type="password"
        autoComplete="current-password"
        error={errors.password}
      />
      <div className="flex gap-3">
        <Button variant="danger" type="submit" pending={mutation.isPending}>
          Delete my account
        </Button>
        <Button variant="ghost" type="button" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
