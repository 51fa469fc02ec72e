'use client';

import Link from 'next/link';
import { startTransition, useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { signInWithPassword } from '@/lib/auth/actions';

export function LoginForm({ next }: { next?: string }) {
  const [state, submit, pending] = useActionState(signInWithPassword, null);
  const errors = state && !state.ok ? (state.error.fieldErrors ?? {}) : {};
  const formError = state && !state.ok && !state.error.fieldErrors ? state.error.message : null;
  return (
    <form
      noValidate
      className="space-y-5"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        startTransition(() => submit(data));
      }}
    >
      {formError && <Alert>{formError}</Alert>}
      {next && <input type="hidden" name="next" value={next} />}
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
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
      <Button type="submit" pending={pending} className="w-full">
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
      <p className="text-center text-sm">
        <Link href="/forgot-password" className="font-medium text-brand-600 hover:text-brand-700">
          Forgot your password?
        </Link>
      </p>
    </form>
  );
}
