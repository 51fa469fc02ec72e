'use client';

import { useMutation } from '@tanstack/react-query';
import { useRef } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { requestEmailChange } from '@/lib/account/settings-actions';
import { type ActionFailure, unwrap } from '@/lib/actions/unwrap';

export function ChangeEmailForm() {
  const form = useRef<HTMLFormElement>(null);
  const change = useMutation({
    mutationFn: (data: FormData) => unwrap(requestEmailChange(data)),
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
        <Alert tone="info">
          We sent a confirmation link to {change.data.email}. Your email changes when you open it.
        </Alert>
      )}
      {failure && !failure.fieldErrors && <Alert>{failure.message}</Alert>}
      <Field
        label="New email"
        name="email"
        type="email"
        autoComplete="email"
        error={errors.email}
      />
      <Field
        label="Your password"
        name="password"
        type="password"
        autoComplete="current-password"
        error={errors.password}
      />
      <Button type="submit" pending={change.isPending}>
        Change email
      </Button>
    </form>
  );
}
