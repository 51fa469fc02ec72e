'use client';

import { useMutation } from '@tanstack/react-query';
import { type ClipboardEvent, type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import type { Role } from '@/db/schema/memberships';
import { type ActionFailure, unwrap } from '@/lib/actions/unwrap';
import { inviteMembers } from '@/lib/invitations/actions';
import { splitAddresses } from '@/lib/invitations/addresses';
import { MAX_INVITATIONS_PER_REQUEST } from '@/lib/invitations/schemas';
import {
  describeMerge,
  errorsOnRows,
  type InviteeRow,
  mergeAddresses,
  newRow,
  type RowErrors,
  rowsToSend,
} from './invitee-rows';
import { PasteList } from './paste-list';

const ROLE_NAMES: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
  viewer: 'Viewer',
};

const ROLE_HINTS: Record<Role, string> = {
  owner: 'owners do everything, the organization itself included',
  admin: 'admins manage members and invitations',
  member: 'members work on projects and tasks',
  viewer: 'viewers read and change nothing',
};

const control =
  'block w-full rounded-md bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 focus:outline-none focus:ring-2 disabled:bg-slate-50';
const ring = (error: unknown) =>
  error ? 'ring-red-400 focus:ring-red-500' : 'ring-slate-300 focus:ring-brand-500';

type Invited = { email: string; role: Role }[];

function successMessage(invited: Invited) {
  if (invited.length === 1) {
    return `Invitation sent to ${invited[0]!.email} as ${ROLE_NAMES[invited[0]!.role].toLowerCase()}.`;
  }
  return `${invited.length} invitations sent.`;
}

/**
 * The invitation form: one row per person, each with its own role (only roles the viewer may give), new
 * rows proposed with the organization's default role. A pasted list becomes rows. Every refusal shows on
 * the row it is about, and then nobody is invited; edits clear that row's refusal.
 */
export function InviteForm({ roles, defaultRole }: { roles: Role[]; defaultRole: Role }) {
  const id = useId();
  const [rows, setRows] = useState<InviteeRow[]>(() => [newRow(defaultRole)]);
  const [rowErrors, setRowErrors] = useState<RowErrors>({});
  const [listError, setListError] = useState<string | null>(null);
  const [summary, setSummary] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  // What did not fit, back in the paste box; `round` reopens the box even when the text is the same.
  const [leftover, setLeftover] = useState({ text: '', round: 0 });
  const inputs = useRef(new Map<number, HTMLInputElement>());
  const [focusKey, setFocusKey] = useState<number | null>(null);
  const mutation = useMutation({
    mutationFn: (sent: InviteeRow[]) =>
      unwrap(inviteMembers({ invitees: sent.map(({ email, role }) => ({ email, role })) })),
    onSuccess: () => {
      setSummary(null);
      const first = newRow(defaultRole);
      setRows([first]);
      setNote(null);
      setFocusKey(first.key);
      // The list below needs no refresh: the action answered with this page re-rendered, new rows included.
    },
    onError: (error, sent) => {
      const placed = errorsOnRows((error as ActionFailure).fieldErrors ?? {}, sent);
      const refused = Object.keys(placed.rows).length;
      setRowErrors(placed.rows);
      setListError(placed.list);
      // The rows and the list say what is wrong; the summary says that nothing was done.
      setSummary(
        refused > 1
          ? `Nobody was invited: ${refused} rows need attention, marked below.`
          : refused === 1 || placed.list
            ? 'Nobody was invited: see the message below.'
            : error.message,
      );
      const firstBad = sent.find((row) => placed.rows[row.key]);
      if (firstBad) setFocusKey(firstBad.key);
    },
  });

  // Once the rows are enabled again (they are disabled while sending).
  useEffect(() => {
    if (focusKey === null || mutation.isPending) return;
    inputs.current.get(focusKey)?.focus();
    setFocusKey(null);
  }, [focusKey, mutation.isPending]);

  const update = (key: number, change: Partial<InviteeRow>) => {
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));
    setRowErrors(({ [key]: _, ...rest }) => rest);
    setListError(null);
  };
  const remove = (key: number) => {
    const index = rows.findIndex((row) => row.key === key);
    const rest = rows.filter((row) => row.key !== key);
    setRows(rest);
    setRowErrors(({ [key]: _, ...others }) => others);
    setFocusKey((rest[index] ?? rest[index - 1])?.key ?? null);
  };
  const setAllRoles = (role: Role) => {
    setRows(rows.map((row) => ({ ...row, role })));
    setRowErrors((current) =>
      Object.fromEntries(Object.entries(current).map(([key, { email }]) => [key, { email }])),
    );
  };
  const addRow = () => {
    const row = newRow(defaultRole);
    setRows([...rows, row]);
    setFocusKey(row.key);
  };
  const paste = (text: string, at: number | null = null) => {
    const merged = mergeAddresses(rows, text, defaultRole, at);
    setRows(merged.rows);
    setNote(describeMerge(merged));
    if (merged.leftover.length > 0) {
      setLeftover(({ round }) => ({ text: merged.leftover.join('\n'), round: round + 1 }));
    }
    setListError(null);
    if (merged.firstKey !== null) setFocusKey(merged.firstKey);
  };
  // A list pasted into one address field becomes rows; a single address pastes as usual.
  const onPaste = (key: number) => (event: ClipboardEvent<HTMLInputElement>) => {
    const text = event.clipboardData.getData('text');
    const addresses = splitAddresses(text);
    if (addresses.length === 0 || (addresses.length === 1 && addresses[0] === text.trim())) {
      return;
    }
    event.preventDefault();
    paste(text, key);
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setRowErrors({});
    setListError(null);
    mutation.mutate(rowsToSend(rows));
  };

  const full = rows.length >= MAX_INVITATIONS_PER_REQUEST;
  return (
    <form noValidate className="space-y-4" onSubmit={onSubmit}>
      {mutation.isSuccess && <Alert tone="info">{successMessage(mutation.data.invited)}</Alert>}
      {mutation.isError && summary && <Alert>{summary}</Alert>}
      <fieldset disabled={mutation.isPending} className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">People to invite</legend>
        <div aria-hidden className="hidden gap-2 text-xs font-medium text-slate-500 sm:flex">
          <span className="flex-1">Email address</span>
          <span className="w-36">Role</span>
          <span className="w-20" />
        </div>
        <ol className="space-y-2">
          {rows.map((row, index) => {
            const errors = rowErrors[row.key] ?? {};
            const base = `${id}-row-${index}`;
            return (
              <li key={row.key} className="flex flex-wrap items-start gap-2 sm:flex-nowrap">
                <div className="min-w-0 flex-1">
                  <label htmlFor={`${base}-email`} className="sr-only">
                    Email address {index + 1}
                  </label>
                  <input
                    id={`${base}-email`}
                    ref={(input) => {
                      if (input) inputs.current.set(row.key, input);
                      else inputs.current.delete(row.key);
                    }}
                    type="email"
                    autoComplete="off"
                    placeholder={
                      index === 0 ? 'ada@example.com, or paste a list' : 'name@example.com'
                    }
                    value={row.email}
                    onChange={(event) => update(row.key, { email: event.target.value })}
                    onPaste={onPaste(row.key)}
                    aria-invalid={errors.email ? true : undefined}
                    aria-describedby={errors.email ? `${base}-email-error` : undefined}
                    className={`${control} ${ring(errors.email)}`}
                  />
                  {errors.email && (
                    <p id={`${base}-email-error`} className="mt-1 text-xs font-medium text-red-600">
                      {errors.email}
                    </p>
                  )}
                </div>
                <div className="w-36">
                  <label htmlFor={`${base}-role`} className="sr-only">
                    Role {index + 1}
                  </label>
                  <select
                    id={`${base}-role`}
                    value={row.role}
                    onChange={(event) => update(row.key, { role: event.target.value as Role })}
                    aria-invalid={errors.role ? true : undefined}
                    aria-describedby={errors.role ? `${base}-role-error` : undefined}
                    className={`${control} ${ring(errors.role)}`}
                  >
                    {roles.map((role) => (
                      <option key={role} value={role}>
                        {ROLE_NAMES[role]}
                      </option>
                    ))}
                  </select>
                  {errors.role && (
                    <p id={`${base}-role-error`} className="mt-1 text-xs font-medium text-red-600">
                      {errors.role}
                    </p>
                  )}
                </div>
                <Button
                  type="button"
                  variant="ghost"
                  className="w-20"
                  disabled={rows.length === 1}
                  aria-label={`Remove ${row.email.trim() || `row ${index + 1}`}`}
                  onClick={() => remove(row.key)}
                >
                  Remove
                </Button>
              </li>
            );
          })}
        </ol>
        {listError && <p className="text-xs font-medium text-red-600">{listError}</p>}
        <div className="flex flex-wrap items-center gap-3 pt-1">
          <Button type="button" variant="secondary" disabled={full} onClick={addRow}>
            Add another
          </Button>
          <SetAllRoles roles={roles} onChoose={setAllRoles} />
          <span className="text-xs text-slate-500">
            {rows.length} of {MAX_INVITATIONS_PER_REQUEST}
            {full ? ': invite the rest in a second batch' : ''}
          </span>
        </div>
        <PasteList key={leftover.round} initial={leftover.text} onAdd={(text) => paste(text)} />
      </fieldset>
      <p role="status" className="text-xs text-slate-600">
        {note}
      </p>
      <p className="text-xs text-slate-500">
        Roles: {roles.map((role) => ROLE_HINTS[role]).join('; ')}. Each person gets their own link
        by mail.
      </p>
      <Button type="submit" pending={mutation.isPending}>
        {mutation.isPending ? 'Sending…' : 'Send invitations'}
      </Button>
    </form>
  );
}

/** Sets every row's role at once; it applies on choice and returns to its prompt. */
function SetAllRoles({ roles, onChoose }: { roles: Role[]; onChoose: (role: Role) => void }) {
  const id = useId();
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-sm text-slate-700">
        Set all roles
      </label>
      <select
        id={id}
        value=""
        onChange={(event) => {
          if (event.target.value) onChoose(event.target.value as Role);
        }}
        className={`${control} ${ring(null)} w-32`}
      >
        <option value="">Choose…</option>
        {roles.map((role) => (
          <option key={role} value={role}>
            {ROLE_NAMES[role]}
          </option>
        ))}
      </select>
    </div>
  );
}
