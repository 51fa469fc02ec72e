'use client';

import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { useMutationForm } from '@/components/ui/use-mutation-form';
import { requestEmailChange } from '@/lib/account/settings-actions';

export function ChangeEmailForm() {
  const { form, mutation, errors, formError, onSubmit } = useMutationForm(requestEmailChange);
  return (
    <form ref={form} noValidate className="max-w-md space-y-5" onSubmit={onSubmit}>
      {mutation.isSuccess && (
        <Alert tone="info">
          We sent a confirmation link to {mutation.data.email}. Your email changes when you open it.
        </Alert>
      )}
      {formError && <Alert>{formError}</Alert>}
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
      <Button type="submit" pending={mutation.isPending}>
        Change email
      </Button>
    </form>
  );
}
