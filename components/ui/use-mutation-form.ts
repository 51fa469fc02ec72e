'use client';

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useRef } from 'react';
import type { ActionResult } from '@/lib/actions/result';
import { type ActionFailure, unwrap } from '@/lib/actions/unwrap';

/** A settings form backed by a server action: field errors, a form error, and a cleared form on success. */
export function useMutationForm<T>(action: (data: FormData) => Promise<ActionResult<T>>) {
  const form = useRef<HTMLFormElement>(null);
  const mutation = useMutation({
    mutationFn: (data: FormData) => unwrap(action(data)),
    onSuccess: () => form.current?.reset(),
  });
  const failure = mutation.error as ActionFailure | null;
  return {
    form,
    mutation,
    errors: failure?.fieldErrors ?? {},
    formError: failure && !failure.fieldErrors ? failure.message : null,
    onSubmit: (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      mutation.mutate(new FormData(event.currentTarget));
    },
  };
}
