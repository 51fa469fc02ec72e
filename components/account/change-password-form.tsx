'use client';

import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { useMutationForm } from '@/components/ui/use-mutation-form';
import { changePassword } from '@/lib/account/settings-actions';

export function ChangePasswordForm() {
  const { form, mutation, errors, formError, onSubmit } = useMutationForm(changePassword);
  return (
    <form ref={form} noValidate className="max-w-md space-y-5" onSubmit={onSubmit}>
      {mutation.isSuccess && (
        <Alert tone="info">Your password was changed. Your other sessions were signed out.</Alert>
      )}
      {formError && <Alert>{formError}</Alert>}
      <Field
        label="Current password"
        name="current"
        type="password"
        autoComplete="current-password"
        error={errors.current}
      />
      <Field
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters."
        error={errors.password}
      />
      <Field
        label="Repeat the new password"
        name="confirm"
        type="password"
        autoComplete="new-password"
        error={errors.confirm}
      />
      <Button type="submit" pending={mutation.isPending}>
        Change password
      </Button>
    </form>
  );
}
