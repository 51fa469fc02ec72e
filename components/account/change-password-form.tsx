'use client';

import { useMutation } from '@tanstack/react-query';
import { useRef } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { changePassword } from '@/lib/account/settings-actions';
import { type ActionFailure, unwrap } from '@/lib/actions/unwrap';

export function ChangePasswordForm() {
  const form = useRef<HTMLFormElement>(null);
  const change = useMutation({
    mutationFn: (data: FormData) => unwrap(changePassword(data)),
    onSuccess: () => form.current?.reset(),
  });
  const failure = change.error as ActionFailure | null;
  const errors = failure?.fieldErrors ?? {};
  return (
    <form
      ref={form}
      noValidate
      className="max-w-md space-y-5"
      onSubmit={(event) => {
        event.preventDefault();
        change.mutate(new FormData(event.currentTarget));
      }}
    >
      {change.isSuccess && (
        <Alert tone="info">Your password was changed. Your other sessions were signed out.</Alert>
      )}
      {failure && !failure.fieldErrors && <Alert>{failure.message}</Alert>}
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
      <Button type="submit" pending={change.isPending}>
        Change password
      </Button>
    </form>
  );
}
