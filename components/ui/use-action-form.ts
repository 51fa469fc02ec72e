'use client';

import { type FormEvent, startTransition, useActionState, useMemo } from 'react';
import type { ActionResult } from '@/lib/actions/result';

type FormAction<T> = (previous: ActionResult<T> | null, data: FormData) => Promise<ActionResult<T>>;

/**
 * Runs a server action from a form and splits its result into field errors and a form-level error.
 * Submits by hand rather than through `action`, because React resets a form after an action completes
 * and the user would lose what they typed.
 */
export function useActionForm<T>(action: FormAction<T>) {
  const [state, submit, pending] = useActionState(action, null);
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
