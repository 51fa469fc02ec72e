'use client';

import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { useActionForm } from '@/components/ui/use-action-form';
import { goToOrganization } from '@/lib/auth/actions';
import { isLeaving, leavingForHost } from './leave-for-host';

const goToOrganizationHost = leavingForHost(goToOrganization);

export function OrganizationAddressForm({ rootDomain }: { rootDomain: string }) {
  const { state, onSubmit, pending: submitting } = useActionForm(goToOrganizationHost);
  const pending = isLeaving(state) || submitting;
  const error =
    state && !state.ok ? (state.error.fieldErrors?.address ?? state.error.message) : undefined;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      <Field
        label="Organization address"
        name="address"
        required
        autoCapitalize="none"
        spellCheck={false}
        placeholder="your-team"
        suffix={`.${rootDomain}`}
        error={error}
      />
      <Button type="submit" pending={pending} className="w-full">
        Continue
      </Button>
    </form>
  );
}
