'use client';

import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { useActionForm } from '@/components/ui/use-action-form';
import { signInWithPassword } from '@/lib/auth/actions';

export function LoginForm({ next }: { next?: string }) {
  const { pending, onSubmit, errors, formError } = useActionForm(signInWithPassword);
  return (
    <form noValidate className="space-y-5" onSubmit={onSubmit}>
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
