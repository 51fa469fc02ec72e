'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import {
  createContext,
  type FormEvent,
  type ReactNode,
  useContext,
  useEffect,
  useState,
} from 'react';
import { Button } from '@/components/ui/button';
import { Alert, Card } from '@/components/ui/card';
import type { ActionResult } from '@/lib/actions/result';
import { type ActionFailure, unwrap } from '@/lib/actions/unwrap';

type VersionState = { version: number; setVersion: (version: number) => void };

const SettingsVersion = createContext<VersionState>({ version: 1, setVersion: () => {} });

/**
 * The version of the organization's settings that every section's form sends back: one per page, moved on
 * by each save (so one section saved after another is not a conflict with itself), and taken from the server
 * whenever the page is refreshed.
 */
export function SettingsVersionProvider({
  version,
  children,
}: {
  version: number;
  children: ReactNode;
}) {
  const [current, setVersion] = useState(version);
  useEffect(() => setVersion(version), [version]);
  return (
    <SettingsVersion.Provider value={{ version: current, setVersion }}>
      {children}
    </SettingsVersion.Provider>
  );
}

export const useSettingsVersion = () => useContext(SettingsVersion);

/** A section of the Organization page: a titled card around its form. */
export function SettingsSection({
  id,
  title,
  description,
  children,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card className="p-6">
      <section aria-labelledby={id}>
        <h3 id={id} className="text-base font-semibold text-slate-900">
          {title}
        </h3>
        {description && <p className="mt-1 text-sm text-slate-600">{description}</p>}
        <div className="mt-5">{children}</div>
      </section>
    </Card>
  );
}

export type SettingsFormState = {
  errors: Record<string, string>;
  pending: boolean;
  failure: ActionFailure | null;
};

/**
 * One form of a section: sends its fields with the page's settings version, shows field errors next to their
 * fields and other errors above the button, and says when it saved. A stale version (another owner saved
 * meanwhile) takes the current version from the conflict, so saving again applies this form over theirs
 * knowingly, and the page refreshes to show their change.
 */
export function SettingsForm<T extends { version?: number }>({
  action,
  submitLabel,
  savedMessage = 'Saved.',
  onSaved,
  leavesPage = false,
  hideFailure,
  children,
}: {
  action: (data: FormData) => Promise<ActionResult<T>>;
  submitLabel: string;
  savedMessage?: string;
  onSaved?: (data: T) => void;
  /**
   * `onSaved` takes the browser to another page (a new subdomain): no refresh of this one, which would race
   * that navigation (on a former address, the refresh itself is sent on to the new one).
   */
  leavesPage?: boolean;
  /** A failure the form shows next to a field itself (see `children`), not above the button. */
  hideFailure?: (failure: ActionFailure) => boolean;
  children: (state: SettingsFormState) => ReactNode;
}) {
  const router = useRouter();
  const { version, setVersion } = useSettingsVersion();
  const mutation = useMutation({
    mutationFn: (data: FormData) => unwrap(action(data)),
    onSuccess: (data) => {
      if (data.version) setVersion(data.version);
      onSaved?.(data);
      if (!leavesPage) router.refresh();
    },
    onError: (error: ActionFailure) => {
      const current = error.current as { version?: number } | undefined;
      if (error.code === 'conflict' && current?.version) {
        setVersion(current.version);
        router.refresh();
      }
    },
  });
  const failure = mutation.error as ActionFailure | null;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    data.set('version', String(version));
    mutation.mutate(data);
  };
  return (
    <form noValidate className="max-w-xl space-y-5" onSubmit={onSubmit}>
      {children({ errors: failure?.fieldErrors ?? {}, pending: mutation.isPending, failure })}
      {failure && !failure.fieldErrors && !hideFailure?.(failure) && (
        <Alert>{failure.message}</Alert>
      )}
      <div className="flex items-center gap-3">
        <Button type="submit" pending={mutation.isPending}>
          {submitLabel}
        </Button>
        {mutation.isSuccess && (
          <p role="status" className="text-sm text-emerald-700">
            {savedMessage}
          </p>
        )}
      </div>
    </form>
  );
}
