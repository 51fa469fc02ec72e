'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { useMutationForm } from '@/components/ui/use-mutation-form';
import { disableTwoFactor, regenerateRecoveryCodes } from '@/lib/two-factor/actions';
import { RecoveryCodes } from './recovery-codes';

/** With two-factor on: new recovery codes (password required), or turning it off (password and a code). */
export function TwoFactorManage({
  enabledAt,
  recoveryCodesLeft,
}: {
  enabledAt: string;
  recoveryCodesLeft: number;
}) {
  const router = useRouter();
  const regenerate = useMutationForm(regenerateRecoveryCodes);
  const disable = useMutationForm(disableTwoFactor);
  const [showCodes, setShowCodes] = useState(true);
  const disabled = disable.mutation.isSuccess;
  useEffect(() => {
    // The page renders the setup step again once the server no longer has an authenticator.
    if (disabled) router.refresh();
  }, [disabled, router]);
  const since = new Date(enabledAt).toLocaleDateString(undefined, { dateStyle: 'medium' });

  return (
    <div className="space-y-8">
      <p className="text-sm text-slate-700">
        <span className="rounded bg-emerald-50 px-1.5 py-0.5 text-xs font-semibold text-emerald-700">
          On
        </span>{' '}
        since {since}. {recoveryCodesLeft} of 10 recovery codes left.
        {recoveryCodesLeft <= 3 && ' Generate new ones before you run out.'}
      </p>

      <section aria-labelledby="recovery-codes-heading" className="space-y-3">
        <h3 id="recovery-codes-heading" className="text-sm font-semibold text-slate-900">
          Recovery codes
        </h3>
        {regenerate.mutation.isSuccess && showCodes ? (
          <RecoveryCodes
            codes={regenerate.mutation.data.recoveryCodes}
            onDone={() => {
              setShowCodes(false);
              router.refresh();
            }}
          />
        ) : (
          <form
            ref={regenerate.form}
            noValidate
            className="max-w-md space-y-4"
            onSubmit={(event) => {
              setShowCodes(true);
              regenerate.onSubmit(event);
            }}
          >
            <p className="text-sm text-slate-600">
              New codes replace all earlier ones, used or not.
            </p>
            {regenerate.formError && <Alert>{regenerate.formError}</Alert>}
            <Field
              label="Your password"
              name="password"
              type="password"
              autoComplete="current-password"
              error={regenerate.errors.password}
            />
            <Button type="submit" variant="secondary" pending={regenerate.mutation.isPending}>
              Generate new recovery codes
            </Button>
          </form>
        )}
      </section>

      <section aria-labelledby="disable-heading" className="space-y-3">
        <h3 id="disable-heading" className="text-sm font-semibold text-slate-900">
          Turn off two-factor authentication
        </h3>
        <form
          ref={disable.form}
          noValidate
          className="max-w-md space-y-4"
          onSubmit={disable.onSubmit}
        >
          {disable.formError && <Alert>{disable.formError}</Alert>}
          <Field
            label="Your password"
            name="password"
            type="password"
            autoComplete="current-password"
            error={disable.errors.password}
          />
          <Field
            label="Code from your app or a recovery code"
            name="code"
            autoComplete="one-time-code"
            autoCapitalize="none"
            spellCheck={false}
            error={disable.errors.code}
          />
          <Button type="submit" variant="danger" pending={disable.mutation.isPending}>
            Turn off two-factor authentication
          </Button>
        </form>
      </section>
    </div>
  );
}
