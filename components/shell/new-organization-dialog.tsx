'use client';

import { useEffect, useRef, useState } from 'react';
import { OrganizationFields } from '@/components/signup/organization-fields';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { useActionForm } from '@/components/ui/use-action-form';
import { createOrganizationFromSwitcher } from '@/lib/my-organizations/actions';
import { goToOrganizationHost } from './cross-host';

/**
 * "New organization" from the switcher: the sign-up form's organization fields only, since the session
 * proves who is asking. Posted as a server action to this host (same origin); on success the browser
 * leaves for the new organization's host, signed in. A modal `<dialog>`: focus stays inside, Escape closes.
 */
export function NewOrganizationDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { state, onSubmit, pending, errors, formError } = useActionForm(
    createOrganizationFromSwitcher,
  );
  const [shownErrors, setShownErrors] = useState<Record<string, string>>({});
  const [leaving, setLeaving] = useState(false);
  // This host minus its organization's label; rendered only in the browser, once the dialog opens.
  const rootDomain = window.location.host.slice(window.location.host.indexOf('.') + 1);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  useEffect(() => setShownErrors(errors), [errors]);
  const target = state?.ok ? state.data.redirectTo : null;
  useEffect(() => {
    if (target) setLeaving(goToOrganizationHost(target));
  }, [target]);

  const clearError = (field: string) => setShownErrors(({ [field]: _, ...rest }) => rest);
  const busy = pending || leaving;

  return (
    <dialog
      ref={dialog}
      aria-labelledby="new-organization-title"
      onClose={onClose}
      className="m-auto w-full max-w-md rounded-xl bg-white p-6 shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-900/40"
    >
      <h2 id="new-organization-title" className="text-lg font-semibold text-slate-900">
        New organization
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        You will be its owner, signed in with this account. No password needed.
      </p>
      <form noValidate className="mt-5 space-y-5" onSubmit={onSubmit}>
        {formError && <Alert>{formError}</Alert>}
        <OrganizationFields
          rootDomain={rootDomain}
          errors={shownErrors}
          clearError={clearError}
          autoFocus
        />
        <div className="flex justify-end gap-3">
          <Button
            type="button"
            variant="secondary"
            disabled={busy}
            onClick={() => dialog.current?.close()}
          >
            Cancel
          </Button>
          <Button type="submit" pending={busy}>
            {busy ? 'Creating…' : 'Create organization'}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
