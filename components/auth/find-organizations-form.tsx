'use client';

import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { jsonFormAction } from '@/components/ui/post-json';
import { useActionForm } from '@/components/ui/use-action-form';

const findOrganizations = jsonFormAction<{ done: true }>('/api/find-organizations');

/** The root host's "Find my organizations": the answer is the same whatever the address. */
export function FindOrganizationsForm() {
  const { done, pending, onSubmit, errors, formError } = useActionForm(findOrganizations);
  if (done) {
    return (
      <Alert tone="info">
        If this address belongs to any organization, we have sent it a message for each, with a link
        to sign in. Check your inbox in a minute.
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
        Email me my organizations
      </Button>
    </form>
  );
}
