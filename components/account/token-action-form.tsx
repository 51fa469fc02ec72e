'use client';

import Link from 'next/link';
import { startTransition, useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import {
  confirmEmail,
  confirmUnlock,
  requestPasswordReset,
  resetPassword,
} from '@/lib/account/actions';

function useFormAction(action: typeof confirmEmail) {
  const [state, submit, pending] = useActionState(action, null);
  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => submit(data));
  };
  const errors = state && !state.ok ? (state.error.fieldErrors ?? {}) : {};
  const formError = state && !state.ok && !state.error.fieldErrors ? state.error.message : null;
  return { done: state?.ok === true, pending, onSubmit, errors, formError };
}

export function ConfirmEmailForm({ token }: { token: string }) {
  const { done, pending, onSubmit, formError } = useFormAction(confirmEmail);
  if (done) {
    return (
      <div className="space-y-4">
        <Alert tone="info">Your email address is confirmed. Thank you!</Alert>
        <Link
          href="/"
          className="inline-block text-sm font-semibold text-brand-600 hover:text-brand-700"
        >
          Go to your dashboard →
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <input type="hidden" name="token" value={token} />
      <Button type="submit" pending={pending} className="w-full">
        Confirm my email address
      </Button>
    </form>
  );
}

export function ForgotPasswordForm() {
  const { done, pending, onSubmit, errors, formError } = useFormAction(requestPasswordReset);
  if (done) {
    return (
      <Alert tone="info">
        If an account with that email belongs to this organization, we have sent it a link to choose
        a new password. The link expires in 1 hour.
      </Alert>
    );
  }
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      {formError && <Alert>{formError}</Alert>}
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        error={errors.email}
      />
      <Button type="submit" pending={pending} className="w-full">
        Send reset link
      </Button>
    </form>
  );
}

export function ResetPasswordForm({ token }: { token: string }) {
  const { done, pending, onSubmit, errors, formError } = useFormAction(resetPassword);
  if (done) {
    return (
      <div className="space-y-4">
        <Alert tone="info">Your password was changed and every session was signed out.</Alert>
        <Link
          href="/login"
          className="inline-block text-sm font-semibold text-brand-600 hover:text-brand-700"
        >
          Sign in with your new password →
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      {formError && <Alert>{formError}</Alert>}
      <input type="hidden" name="token" value={token} />
      <Field
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        error={errors.password ?? errors.token}
        hint="At least 12 characters."
      />
      <Field
        label="Repeat the new password"
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        error={errors.confirm}
      />
      <Button type="submit" pending={pending} className="w-full">
        Set new password
      </Button>
    </form>
  );
}

export function UnlockForm({ token }: { token: string }) {
  const { done, pending, onSubmit, formError } = useFormAction(confirmUnlock);
  if (done) {
    return (
      <div className="space-y-4">
        <Alert tone="info">Your account is unlocked. You can sign in again.</Alert>
        <Link
          href="/login"
          className="inline-block text-sm font-semibold text-brand-600 hover:text-brand-700"
        >
          Sign in →
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <input type="hidden" name="token" value={token} />
      <Button type="submit" pending={pending} className="w-full">
        Unlock my account
      </Button>
    </form>
  );
}
