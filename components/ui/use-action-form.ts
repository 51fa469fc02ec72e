'use client';

import { type FormEvent, startTransition, useActionState, useCallback, useMemo } from 'react';
import { callAction } from '@/lib/actions/call';
import type { ActionResult } from '@/lib/actions/result';

/**
 * Runs a server action (or a JSON route, see `jsonFormAction`) from a form and splits its result into field
 * errors and a form-level error. Submits by hand rather than through `action`, because React resets a form
 * after an action completes and the user would lose what they typed.
 */
export function useActionForm<T>(action: (data: FormData) => Promise<ActionResult<T>>) {
  const run = useCallback(
    (_previous: ActionResult<T> | null, data: FormData) => callAction(action, data),
    [action],
  );
  const [state, submit, pending] = useActionState(run, null);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => submit(data));
  };
  const failure = state && !state.ok ? state.error : null;
  // Stable between renders of the same result, so effects can depend on it.
  const errors = useMemo(() => failure?.fieldErrors ?? {}, [failure]);
  return {
    state,
    done: state?.ok === true,
    pending,
    onSubmit,
    errors,
    formError: failure && !failure.fieldErrors ? failure.message : null,
  };
}
