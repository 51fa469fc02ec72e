'use client';

import { useEffect, useState } from 'react';
import { isLeaving, leavingForHost } from '@/components/auth/leave-for-host';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { jsonFormAction } from '@/components/ui/post-json';
import { useActionForm } from '@/components/ui/use-action-form';
import { NAME_HINT, OrganizationFields } from './organization-fields';

const signUp = leavingForHost(jsonFormAction<{ redirectTo: string }>('/api/signup'));

export function SignupForm({ rootDomain }: { rootDomain: string }) {
  const { state, onSubmit, pending: submitting, errors, formError } = useActionForm(signUp);
  // Stay busy while the browser leaves for the new subdomain.
  const pending = isLeaving(state) || submitting;
  // The server's field errors, until the user edits the field they concern.
  const [shownErrors, setShownErrors] = useState<Record<string, string>>({});

  useEffect(() => setShownErrors(errors), [errors]);

  const clearError = (field: string) => setShownErrors(({ [field]: _, ...rest }) => rest);

  return (
    <form noValidate className="space-y-5" onSubmit={onSubmit}>
      {formError && <Alert>{formError}</Alert>}
      <OrganizationFields rootDomain={rootDomain} errors={shownErrors} clearError={clearError} />
      <Field
        label="Your name"
        name="name"
        onChange={() => clearError('name')}
        autoComplete="name"
        required
        error={shownErrors.name}
        hint={NAME_HINT}
      />
      <Field
        label="Email"
        name="email"
        onChange={() => clearError('email')}
        type="email"
        autoComplete="email"
        required
        error={shownErrors.email}
      />
      <Field
        label="Password"
        name="password"
        onChange={() => clearError('password')}
        type="password"
        autoComplete="new-password"
        required
        error={shownErrors.password}
        hint="At least 12 characters. If you already have an account, use its password."
      />
      <Button type="submit" pending={pending} className="w-full">
        {pending ? 'Creating your organization…' : 'Create organization'}
      </Button>
    </form>
  );
}
