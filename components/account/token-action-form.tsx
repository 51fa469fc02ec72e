'use client';

import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { jsonFormAction } from '@/components/ui/post-json';
import { useActionForm } from '@/components/ui/use-action-form';
import {
  confirmEmail,
  confirmEmailChange,
  confirmUnlock,
  resetPassword,
} from '@/lib/account/actions';

const CONFIRMATIONS = {
  'verify-email': {
    action: confirmEmail,
    button: 'Confirm my email address',
    done: 'Your email address is confirmed. Thank you!',
    next: { href: '/', label: 'Go to your dashboard →' },
  },
  unlock: {
    action: confirmUnlock,
    button: 'Unlock my account',
    done: 'Your account is unlocked. You can sign in again.',
    next: { href: '/login', label: 'Sign in →' },
  },
  'email-change': {
    action: confirmEmailChange,
    button: 'Confirm my new email address',
    done: 'Your email address was changed. Use it to sign in from now on.',
    next: { href: '/', label: 'Go to your dashboard →' },
  },
} as const;

/**
 * The landing form of an emailed link: one button, so that mail scanners which open links do not spend the
 * token, then the outcome and where to go next.
 */
export function TokenConfirmForm({
  kind,
  token,
}: {
  kind: keyof typeof CONFIRMATIONS;
  token: string;
}) {
  const confirmation = CONFIRMATIONS[kind];
  const { done, pending, onSubmit, formError } = useActionForm(confirmation.action);
  if (done) {
    return (
      <div className="space-y-4">
        <Alert tone="info">{confirmation.done}</Alert>
        <Link
          href={confirmation.next.href}
          className="inline-block text-sm font-semibold text-brand-600 hover:text-brand-700"
        >
          {confirmation.next.label}
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <input type="hidden" name="token" value={token} />
      <Button type="submit" pending={pending} className="w-full">
        {confirmation.button}
      </Button>
    </form>
  );
}

const requestPasswordReset = jsonFormAction<{ done: true }>('/api/password-reset');

export function ForgotPasswordForm() {
  const { done, pending, onSubmit, errors, formError } = useActionForm(requestPasswordReset);
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
  const { done, pending, onSubmit, errors, formError } = useActionForm(resetPassword);
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
