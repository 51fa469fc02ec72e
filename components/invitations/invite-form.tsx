'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useId } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { useMutationForm } from '@/components/ui/use-mutation-form';
import type { Role } from '@/db/schema/memberships';
import { inviteMembers } from '@/lib/invitations/actions';
import { MAX_INVITATIONS_PER_REQUEST } from '@/lib/invitations/schemas';

const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner: everything, including the organization itself',
  admin: 'Admin: manages members and invitations',
  member: 'Member: works on projects and tasks',
  viewer: 'Viewer: reads, changes nothing',
};

const control =
  'mt-1.5 block w-full rounded-md bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 focus:outline-none focus:ring-2';
const okRing = 'ring-slate-300 focus:ring-brand-500';
const errorRing = 'ring-red-400 focus:ring-red-500';

/**
 * The invitation form: addresses in one field (pasted lists welcome), one role for all of them, proposed
 * from the organization's default. Every refusal names the address it is about, next to the field, and
 * then nobody is invited.
 */
export function InviteForm({ roles, defaultRole }: { roles: Role[]; defaultRole: Role }) {
  const router = useRouter();
  const { form, mutation, errors, formError, onSubmit } = useMutationForm(inviteMembers);
  const id = useId();
  const invited = mutation.data?.invited ?? [];
  // The new invitations appear in the list below (other admins' pages follow through realtime).
  useEffect(() => {
    if (mutation.data) router.refresh();
  }, [mutation.data, router]);
  return (
    <form ref={form} noValidate className="space-y-4" onSubmit={onSubmit}>
      {mutation.isSuccess && (
        <Alert tone="info">
          {invited.length === 1
            ? `Invitation sent to ${invited[0]!.email}.`
            : `${invited.length} invitations sent.`}
        </Alert>
      )}
      {formError && <Alert>{formError}</Alert>}
      <div>
        <label htmlFor={`${id}-emails`} className="block text-sm font-medium text-slate-800">
          Email addresses
        </label>
        <textarea
          id={`${id}-emails`}
          name="emails"
          rows={3}
          required
          placeholder="ada@example.com, grace@example.com"
          aria-invalid={errors.emails ? true : undefined}
          aria-describedby={errors.emails ? `${id}-emails-error` : `${id}-emails-hint`}
          className={`${control} ${errors.emails ? errorRing : okRing}`}
        />
        {errors.emails ? (
          <p id={`${id}-emails-error`} className="mt-1.5 text-xs font-medium text-red-600">
            {errors.emails}
          </p>
        ) : (
          <p id={`${id}-emails-hint`} className="mt-1.5 text-xs text-slate-500">
            Up to {MAX_INVITATIONS_PER_REQUEST} at once, separated by commas, spaces or new lines.
          </p>
        )}
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <label htmlFor={`${id}-role`} className="block text-sm font-medium text-slate-800">
            Role
          </label>
          <select
            id={`${id}-role`}
            name="role"
            defaultValue={defaultRole}
            aria-invalid={errors.role ? true : undefined}
            aria-describedby={errors.role ? `${id}-role-error` : undefined}
            className={`${control} ${errors.role ? errorRing : okRing}`}
          >
            {roles.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
          {errors.role && (
            <p id={`${id}-role-error`} className="mt-1.5 text-xs font-medium text-red-600">
              {errors.role}
            </p>
          )}
        </div>
        <Button type="submit" pending={mutation.isPending}>
          {mutation.isPending ? 'Sending…' : 'Send invitations'}
        </Button>
      </div>
    </form>
  );
}
