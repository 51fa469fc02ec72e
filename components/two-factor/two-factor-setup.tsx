'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { useMutationForm } from '@/components/ui/use-mutation-form';
import { confirmTwoFactorSetup, startTwoFactorSetup } from '@/lib/two-factor/actions';
import { RecoveryCodes } from './recovery-codes';
import { TwoFactorManage } from './two-factor-manage';

/** Groups of four, as authenticator apps print them, so the key is easier to type by hand. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/**
 * Enrollment: the password first (a session alone must not add an authenticator), then a QR code and the key
 * in text, then a current code to prove the app has it.
 */
export function TwoFactorSetup() {
  const router = useRouter();
  const start = useMutationForm(startTwoFactorSetup);
  const confirm = useMutationForm(confirmTwoFactorSetup);
  const setup = start.mutation.data;
  const [saved, setSaved] = useState(false);

  if (confirm.mutation.isSuccess) {
    const { recoveryCodes } = confirm.mutation.data;
    // What the server would render now, shown at once: the refresh that brings the rest of the page along
    // (the organization's requirement notice) was seen under load to take longer than the user should wait,
    // or not to be applied at all. When it lands, the server's own view replaces this one.
    if (saved) {
      return (
        <TwoFactorManage
          enabledAt={new Date(confirm.mutation.submittedAt).toISOString()}
          recoveryCodesLeft={recoveryCodes.length}
        />
      );
    }
    return (
      <div className="space-y-4">
        <Alert tone="info">Two-factor authentication is on.</Alert>
        <RecoveryCodes
          codes={recoveryCodes}
          onDone={() => {
            setSaved(true);
            router.refresh();
          }}
        />
      </div>
    );
  }
  if (!setup) {
    return (
      <form ref={start.form} noValidate className="max-w-md space-y-4" onSubmit={start.onSubmit}>
        <p className="text-sm text-slate-600">
          Enter your password to begin. You will then scan a QR code with an authenticator app.
        </p>
        {start.formError && <Alert>{start.formError}</Alert>}
        <Field
          label="Your password"
          name="password"
          type="password"
          autoComplete="current-password"
          error={start.errors.password}
        />
        <Button type="submit" pending={start.mutation.isPending}>
          Set up two-factor authentication
        </Button>
      </form>
    );
  }
  return (
    <div className="grid gap-6 md:grid-cols-[auto_1fr]">
      <div>
        {/* biome-ignore lint/performance/noImgElement: a data URL drawn on our server; nothing to optimize */}
        <img
          src={setup.qrCode}
          alt="QR code to scan with your authenticator app"
          width={184}
          height={184}
          className="rounded-md ring-1 ring-slate-200"
        />
      </div>
      <div className="space-y-5">
        <ol className="list-decimal space-y-2 pl-5 text-sm text-slate-700">
          <li>
            Scan the QR code with an authenticator app (1Password, Google Authenticator, Authy,
            Microsoft Authenticator…).
          </li>
          <li>
            Can’t scan it? Enter this setup key instead:{' '}
            <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-slate-900 break-all">
              {grouped(setup.secret)}
            </code>
          </li>
          <li>Enter the 6-digit code the app shows to finish.</li>
        </ol>
        <form
          ref={confirm.form}
          noValidate
          className="max-w-xs space-y-4"
          onSubmit={confirm.onSubmit}
        >
          {confirm.formError && <Alert>{confirm.formError}</Alert>}
          <Field
            label="Code from your app"
            name="code"
            autoComplete="one-time-code"
            inputMode="numeric"
            placeholder="123456"
            error={confirm.errors.code}
          />
          <Button type="submit" pending={confirm.mutation.isPending}>
            Turn on two-factor authentication
          </Button>
        </form>
      </div>
    </div>
  );
}
