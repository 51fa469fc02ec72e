'use client';

import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { changeName } from '@/lib/account/settings-actions';
import { type ActionFailure, unwrap } from '@/lib/actions/unwrap';

/** Your name, the same in every organization you belong to. */
export function ChangeNameForm({ name }: { name: string }) {
  const mutation = useMutation({
    mutationFn: (data: FormData) => unwrap(changeName(data)),
  });
  const failure = mutation.error as ActionFailure | null;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate(new FormData(event.currentTarget));
  };
  return (
    <form noValidate className="max-w-md space-y-5" onSubmit={onSubmit}>
      <Field
        label="Your name"
        name="name"
        defaultValue={name}
        autoComplete="name"
        maxLength={60}
        error={failure?.fieldErrors?.name}
      />
      {failure && !failure.fieldErrors && <Alert>{failure.message}</Alert>}
      <div className="flex items-center gap-3">
        <Button type="submit" pending={mutation.isPending}>
          Save name
        </Button>
        {mutation.isSuccess && (
          <p role="status" className="text-sm text-emerald-700">
            Saved.
          </p>
        )}
      </div>
    </form>
  );
}
