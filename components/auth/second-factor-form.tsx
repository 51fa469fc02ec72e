'use client';

import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { jsonFormAction } from '@/components/ui/post-json';
import { useActionForm } from '@/components/ui/use-action-form';
import type { SignInResponse } from '@/lib/auth/sign-in';
import { useSameOriginRedirect } from './use-same-origin-redirect';

const submitCode = jsonFormAction<SignInResponse>('/api/login/second-factor');

/**
 * The second step of a sign-in for members with two-factor authentication: the password was right, and
 * no session exists until a code from their authenticator app (or a recovery code) is too.
 */
export function SecondFactorForm({
  challenge,
  next,
  onRestart,
}: {
  challenge: string;
  next?: string;
  onRestart: (message: string | null) => void;
}) {
  const { state, pending, onSubmit, errors, formError } = useActionForm(submitCode);
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);
  const redirectTo = state?.ok && 'redirectTo' in state.data ? state.data.redirectTo : null;
  // The challenge expired or took too many wrong codes: the password step starts again.
  const expired = state && !state.ok && state.error.code === 'unauthenticated';
  const expiredMessage = expired ? state.error.message : null;
  useSameOriginRedirect(redirectTo);
  useEffect(() => {
    if (expiredMessage) onRestart(expiredMessage);
  }, [expiredMessage, onRestart]);
  return (
    <form noValidate className="space-y-5" onSubmit={onSubmit}>
      <div>
        <h2 className="text-base font-semibold text-slate-900">Two-step verification</h2>
        <p className="mt-1 text-sm text-slate-600">
          {useRecoveryCode
            ? 'Enter one of the recovery codes you saved when you set up two-step verification. Each works once.'
            : 'Open your authenticator app and enter the 6-digit code it shows for this account.'}
        </p>
      </div>
      {formError && <Alert>{formError}</Alert>}
      <input type="hidden" name="challenge" value={challenge} />
      {next && <input type="hidden" name="next" value={next} />}
      <Field
        key={useRecoveryCode ? 'recovery' : 'totp'}
        label={useRecoveryCode ? 'Recovery code' : 'Authentication code'}
        name="code"
        autoComplete="one-time-code"
        inputMode={useRecoveryCode ? 'text' : 'numeric'}
        autoCapitalize="none"
        spellCheck={false}
        placeholder={useRecoveryCode ? 'xxxxx-xxxxx' : '123456'}
        autoFocus
        required
        error={errors.code}
      />
      <Button type="submit" pending={pending || redirectTo !== null} className="w-full">
        {pending || redirectTo ? 'Verifying…' : 'Verify'}
      </Button>
      <div className="flex flex-wrap justify-between gap-2 text-sm">
        <button
          type="button"
          className="font-medium text-brand-600 hover:text-brand-700"
          onClick={() => setUseRecoveryCode((v) => !v)}
        >
          {useRecoveryCode ? 'Use your authenticator app instead' : 'Use a recovery code instead'}
        </button>
        <button
          type="button"
          className="font-medium text-slate-600 hover:text-slate-900"
          onClick={() => onRestart(null)}
        >
          Start over
        </button>
      </div>
    </form>
  );
}
