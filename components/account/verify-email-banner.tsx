'use client';

import { useState, useTransition } from 'react';
import { postJson } from '@/components/ui/post-json';

export function VerifyEmailBanner({ email }: { email: string }) {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div
      role="status"
      className="flex flex-wrap items-center justify-between gap-3 border-b border-amber-200 bg-amber-50 px-6 py-2.5 text-sm text-amber-900"
    >
      <span>
        Please confirm your email address: we sent a link to <strong>{email}</strong>.
        {message && <span className="ml-2 font-medium">{message}</span>}
      </span>
      <button
        type="button"
        disabled={pending}
        className="font-semibold underline-offset-2 hover:underline disabled:opacity-60"
        onClick={() =>
          startTransition(async () => {
            const result = await postJson('/api/email-verification/resend', {});
            setMessage(result.ok ? 'A new link is on its way.' : result.error.message);
          })
        }
      >
        {pending ? 'Sending…' : 'Resend the link'}
      </button>
    </div>
  );
}
