'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { ModalDialog } from '@/components/ui/modal-dialog';
import type { MembershipStatus, Role } from '@/db/schema/memberships';
import { type ActionFailure, unwrap } from '@/lib/actions/unwrap';
import {
  changeMemberRole,
  deactivateMember,
  reactivateMember,
  removeMember,
  transferOwnership,
} from '@/lib/members/actions';
import type { MemberActionsAllowed } from '@/lib/members/allowed';

export type MemberTarget = {
  userId: string;
  name: string;
  role: Role;
  status: MembershipStatus;
  version: number;
};

type Dialog = 'role' | 'deactivate' | 'remove' | 'transfer';

const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
  viewer: 'Viewer',
};

/**
 * A row's actions: a menu (a disclosure, reachable and operable with the keyboard) of what the viewer may do
 * to this member, each confirmed in a dialog; the action answers with the page re-rendered from the server.
 */
export function MemberActions({
  member,
  allowed,
}: {
  member: MemberTarget;
  allowed: MemberActionsAllowed;
}) {
  const router = useRouter();
  const menu = useRef<HTMLDetailsElement>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const target = { userId: member.userId, version: member.version };
  const mutation = useMutation({
    mutationFn: (run: () => Promise<unknown>) => run(),
    // The action answered with the page re-rendered: the row already shows the change.
    onSuccess: () => setDialog(null),
    // A stale version: the row refreshes to what it is now, and the message says why nothing changed.
    onError: (error: ActionFailure) => {
      if (error.code === 'conflict') router.refresh();
    },
  });
  const failure = mutation.error as ActionFailure | null;
  const open = (which: Dialog) => {
    mutation.reset();
    if (menu.current) menu.current.open = false;
    setDialog(which);
  };
  const close = () => setDialog(null);
  const submit =
    (run: (data: FormData) => Promise<unknown>) => (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const data = new FormData(event.currentTarget);
      mutation.mutate(() => run(data));
    };
  const formError = failure && !failure.fieldErrors ? failure.message : null;

  return (
    <>
      <details ref={menu} className="relative inline-block text-left">
        <summary
          aria-label={`Manage ${member.name}`}
          className="cursor-pointer list-none rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-brand-600"
        >
          Manage ▾
        </summary>
        <div className="absolute right-0 z-10 mt-1 flex w-52 flex-col rounded-md bg-white py-1 shadow-lg ring-1 ring-slate-200">
          {allowed.roles.length > 0 && (
            <MenuItem onClick={() => open('role')}>Change role…</MenuItem>
          )}
          {allowed.transfer && (
            <MenuItem onClick={() => open('transfer')}>Transfer ownership…</MenuItem>
          )}
          {allowed.reactivate && (
            <MenuItem
              onClick={() => {
                if (menu.current) menu.current.open = false;
                mutation.mutate(() => unwrap(reactivateMember(target)));
              }}
            >
              Reactivate
            </MenuItem>
          )}
          {allowed.deactivate && (
            <MenuItem onClick={() => open('deactivate')}>Deactivate…</MenuItem>
          )}
          {allowed.remove && (
            <MenuItem danger onClick={() => open('remove')}>
              Remove…
            </MenuItem>
          )}
        </div>
      </details>
      {dialog === null && formError && (
        <p role="alert" className="mt-1 text-xs font-medium text-red-600">
          {formError}
        </p>
      )}

      <ModalDialog open={dialog === 'role'} title={`Change ${member.name}’s role`} onClose={close}>
        <form
          onSubmit={submit((data) =>
            unwrap(changeMemberRole({ ...target, role: data.get('role') as Role })),
          )}
          className="space-y-4"
        >
          <label className="block text-sm font-medium text-slate-800">
            New role
            <select
              name="role"
              defaultValue={allowed.roles[0]}
              aria-invalid={failure?.fieldErrors?.role ? true : undefined}
              className="mt-1.5 block w-full rounded-md bg-white px-2 py-2 text-sm shadow-sm ring-1 ring-slate-300"
            >
              {allowed.roles.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </select>
          </label>
          {failure?.fieldErrors?.role && (
            <p className="text-xs font-medium text-red-600">{failure.fieldErrors.role}</p>
          )}
          <p className="text-slate-600">
            They stay signed in; what they may do changes at once, on every page they have open.
          </p>
          <DialogButtons error={formError} pending={mutation.isPending} onCancel={close}>
            Change role
          </DialogButtons>
        </form>
      </ModalDialog>

      <ModalDialog
        open={dialog === 'deactivate'}
        title={`Deactivate ${member.name}?`}
        onClose={close}
      >
        <form onSubmit={submit(() => unwrap(deactivateMember(target)))} className="space-y-4">
          <p>
            {member.name} is signed out of this organization at once and cannot sign in until an
            admin reactivates them. Their work stays as it is.
          </p>
          <DialogButtons
            error={formError}
            pending={mutation.isPending}
            onCancel={close}
            variant="danger"
          >
            Deactivate
          </DialogButtons>
        </form>
      </ModalDialog>

      <ModalDialog open={dialog === 'remove'} title={`Remove ${member.name}?`} onClose={close}>
        <form onSubmit={submit(() => unwrap(removeMember(target)))} className="space-y-4">
          <p>
            {member.name} is signed out and leaves the organization. The tasks and comments they
            wrote stay, under their name, marked as a former member; tasks assigned to them stay
            assigned. To bring them back, invite them again.
          </p>
          <DialogButtons
            error={formError}
            pending={mutation.isPending}
            onCancel={close}
            variant="danger"
          >
            Remove
          </DialogButtons>
        </form>
      </ModalDialog>

      <ModalDialog
        open={dialog === 'transfer'}
        title={`Make ${member.name} an owner`}
        onClose={close}
      >
        <form
          onSubmit={submit((data) =>
            unwrap(
              transferOwnership({
                ...target,
                password: String(data.get('password') ?? ''),
                keepOwnership: data.get('keepOwnership') === 'on',
              }),
            ),
          )}
          className="space-y-4"
        >
          <p>
            Owners can do everything, including changing the organization and its other owners.
            Unless you keep ownership too, you become an admin.
          </p>
          <Field
            label="Your password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            error={failure?.fieldErrors?.password}
          />
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" name="keepOwnership" className="size-4" />
            Keep me as an owner too
          </label>
          <DialogButtons error={formError} pending={mutation.isPending} onCancel={close}>
            Make owner
          </DialogButtons>
        </form>
      </ModalDialog>
    </>
  );
}

function MenuItem({
  onClick,
  danger = false,
  children,
}: {
  onClick: () => void;
  danger?: boolean;
  children: string;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      className={`px-3 py-1.5 text-left text-sm hover:bg-slate-50 focus-visible:bg-slate-100 focus-visible:outline-none ${danger ? 'text-red-700' : 'text-slate-700'}`}
    >
      {children}
    </button>
  );
}

function DialogButtons({
  error,
  pending,
  onCancel,
  variant = 'primary',
  children,
}: {
  error: string | null;
  pending: boolean;
  onCancel: () => void;
  variant?: 'primary' | 'danger';
  children: string;
}) {
  return (
    <>
      {error && <Alert>{error}</Alert>}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" variant={variant} pending={pending}>
          {children}
        </Button>
      </div>
    </>
  );
}
