'use client';

import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { jsonFormAction } from '@/components/ui/post-json';
import { useActionForm } from '@/components/ui/use-action-form';

const requestJoinLink = jsonFormAction<{ sent: true }>('/api/join');

/** The address to send a join link to; an address at another domain is refused next to the field. */
export function JoinRequestForm() {
  const { done, pending, onSubmit, errors, formError } = useActionForm(requestJoinLink);
  if (done) {
    return (
      <Alert tone="info">
        Check your inbox: we sent a link to confirm your address and join. It works once, within an
        hour.
      </Alert>
    );
  }
  return (
    <form noValidate className="space-y-5" onSubmit={onSubmit}>
      {formError && <Alert>{formError}</Alert>}
      <Field
        label="Your work email"
        name="email"
        type="email"
        autoComplete="email"
        required
        error={errors.email}
      />
      <Button type="submit" pending={pending} className="w-full">
        Send me a link
      </Button>
    </form>
  );
}
