'use client';

import { useState } from 'react';
import { useSameOriginRedirect } from '@/components/auth/use-same-origin-redirect';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { jsonFormAction } from '@/components/ui/post-json';
import { useActionForm } from '@/components/ui/use-action-form';
import type { JoinAnswer } from '@/lib/invitations/accept';

/**
 * The last step of joining an organization, from an invitation or a join link: the address's account
 * signs in with its password (and, when it has two-factor sign-in, a code, asked for on the same form),
 * or a new person chooses a name and password. Success lands them signed in on the organization.
 */
export function JoinForm({
  endpoint,
  token,
  email,
  hasAccount,
  action,
}: {
  endpoint: string;
  token: string;
  email: string;
  hasAccount: boolean;
  action: string;
}) {
  const [submitJoin] = useState(() => jsonFormAction<JoinAnswer>(endpoint));
  const { state, pending, onSubmit, errors, formError } = useActionForm(submitJoin);
  const answer = state?.ok ? state.data : null;
  const redirectTo = answer && 'redirectTo' in answer ? answer.redirectTo : null;
  // Once asked for, the code stays on the form: a wrong one is answered next to it.
  const [askCode, setAskCode] = useState(false);
  if (answer && 'secondFactor' in answer && !askCode) setAskCode(true);
  useSameOriginRedirect(redirectTo);
  const busy = pending || redirectTo !== null;
  return (
    <form noValidate className="space-y-5" onSubmit={onSubmit}>
      {formError && <Alert>{formError}</Alert>}
      <input type="hidden" name="token" value={token} />
      <Field label="Email" value={email} readOnly disabled autoComplete="username" />
      {!hasAccount && (
        <Field
          label="Your name"
          name="name"
          autoComplete="name"
          required
          maxLength={60}
          error={errors.name}
        />
      )}
      <Field
        label={hasAccount ? 'Password of your account' : 'Choose a password'}
        name="password"
        type="password"
        autoComplete={hasAccount ? 'current-password' : 'new-password'}
        required
        hint={
          hasAccount
            ? 'Your password is the same in every organization you belong to.'
            : 'At least 12 characters.'
        }
        error={errors.password}
      />
      {!hasAccount && (
        <Field
          label="Repeat the password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          error={errors.confirm}
        />
      )}
      {askCode && (
        <Field
          label="Authentication code"
          name="code"
          autoComplete="one-time-code"
          inputMode="numeric"
          autoCapitalize="none"
          spellCheck={false}
          placeholder="123456"
          autoFocus
          required
          hint="From your authenticator app, or one of your recovery codes."
          error={errors.code}
        />
      )}
      <Button type="submit" pending={busy} className="w-full">
        {busy ? 'Joining…' : askCode ? 'Verify and join' : action}
      </Button>
    </form>
  );
}
