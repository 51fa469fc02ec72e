'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { jsonFormAction } from '@/components/ui/post-json';
import { useActionForm } from '@/components/ui/use-action-form';
import type { SignInResponse } from '@/lib/auth/sign-in';
import { SecondFactorForm } from './second-factor-form';
import { useSameOriginRedirect } from './use-same-origin-redirect';

const submitPassword = jsonFormAction<SignInResponse>('/api/login');

/** Sign-in on a tenant host: the password, then, for members with two-factor sign-in, a code. */
export function LoginForm({ next }: { next?: string }) {
  const [challenge, setChallenge] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    // Sign-up of a new organization by an account with two-factor sign-in lands here with a challenge.
    const match = /^#challenge=([\w-]{20,100})$/.exec(window.location.hash);
    if (!match) return;
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    setChallenge(match[1]!);
  }, []);
  if (challenge) {
    return (
      <SecondFactorForm
        challenge={challenge}
        next={next}
        onRestart={(message) => {
          setChallenge(null);
          setNotice(message);
        }}
      />
    );
  }
  return (
    <PasswordForm
      next={next}
      email={email}
      notice={notice}
      onChallenge={(token, typedEmail) => {
        setEmail(typedEmail);
        setNotice(null);
        setChallenge(token);
      }}
    />
  );
}

function PasswordForm({
  next,
  email,
  notice,
  onChallenge,
}: {
  next?: string;
  email: string;
  notice: string | null;
  onChallenge: (challenge: string, email: string) => void;
}) {
  const { state, pending, onSubmit, errors, formError } = useActionForm(submitPassword);
  const [typedEmail, setTypedEmail] = useState(email);
  const result = state?.ok ? state.data : null;
  const redirectTo = result && 'redirectTo' in result ? result.redirectTo : null;
  const challenge = result && 'secondFactor' in result ? result.secondFactor.challenge : null;
  useSameOriginRedirect(redirectTo);
  useEffect(() => {
    if (challenge) onChallenge(challenge, typedEmail);
  }, [challenge, onChallenge, typedEmail]);
  return (
    <form noValidate className="space-y-5" onSubmit={onSubmit}>
      {formError ? <Alert>{formError}</Alert> : notice && <Alert>{notice}</Alert>}
      {next && <input type="hidden" name="next" value={next} />}
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={typedEmail}
        onChange={(e) => setTypedEmail(e.target.value)}
        error={errors.email}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={errors.password}
      />
      <Button type="submit" pending={pending || redirectTo !== null} className="w-full">
        {pending || redirectTo ? 'Signing in…' : 'Sign in'}
      </Button>
      <p className="text-center text-sm">
        <Link href="/forgot-password" className="font-medium text-brand-600 hover:text-brand-700">
          Forgot your password?
        </Link>
      </p>
    </form>
  );
}
