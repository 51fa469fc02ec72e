'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';

/**
 * "Continue" on the handoff confirmation page: a plain form post (it works without JavaScript) that stays
 * busy once sent, so a second click cannot spend the single-use token on a request the browser then drops.
 */
export function HandoffConfirmForm({ token, next }: { token: string; next?: string }) {
  const [pending, setPending] = useState(false);
  return (
    <form method="post" action="/auth/handoff" onSubmit={() => setPending(true)}>
      <input type="hidden" name="token" value={token} />
      {next && <input type="hidden" name="next" value={next} />}
      <Button type="submit" pending={pending} className="w-full">
        {pending ? 'Signing in…' : 'Continue'}
      </Button>
    </form>
  );
}
